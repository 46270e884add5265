import MNISTEvaluation
import MNISTPictures
import MNISTPlumbing

/// The whole `mnist-eval` job behind its command line, as `TrainingSession`
/// is `mnist-train`'s: evaluate (with the baseline, if any), gate, write the
/// pictures, JUnit XML and summary asked for, and render the report. The
/// executable parses options, makes this one call and prints what it returns.
///
/// The files are written before the report is rendered: a file that cannot be
/// written is an error with no report.
public struct EvaluationSession: Sendable {
    public enum Format: Sendable { case text, json }

    /// The most images a picture of errors or regressions draws unless told:
    /// 784 bytes are kept per image, and a grid of more is no picture anyone reads.
    public static let pictureCap = 1000

    /// The evaluation itself; its `keepMisclassified` and `keepRegressed` are
    /// set here from the pictures asked for.
    public var evaluator: Evaluator
    public var gates: GateSettings
    /// The labels files tried next to the images (for the report when none was found).
    public var labelsLookedFor: [String] = []
    public var format: Format = .text
    /// Where to draw the misclassified images, the confusion matrix and the regressed images.
    public var misclassifiedPath: String?
    public var confusionPath: String?
    public var regressionsPath: String?
    /// At most this many images in each grid; `nil`: all, up to `pictureCap` (with a note when cut).
    public var maxImages: Int?
    public var junitPath: String?
    /// Appended to, as `$GITHUB_STEP_SUMMARY` expects.
    public var summaryPath: String?
    /// The first this-many misclassified images as text art.
    public var show = 0

    public init(evaluator: Evaluator, gates: GateSettings) {
        self.evaluator = evaluator
        self.gates = gates
    }

    public struct Outcome: Sendable {
        public var result: EvaluationResult
        /// The report, text or JSON, ending in a newline.
        public var report: String
        /// `show`'s text art, or `nil`.
        public var art: String?
        /// What the run says besides the report (a grid drawn short, ...).
        public var notes: [String]
        /// The gates that failed, in the report's order.
        public var failedGates: [GateOutcome] { result.failedGates }
    }

    public func run(progress: ((Int, Int) -> Void)? = nil) throws -> Outcome {
        var evaluator = self.evaluator
        let pictured = misclassifiedPath == nil ? 0 : maxImages ?? Self.pictureCap
        let regressionsPictured = regressionsPath == nil ? 0 : maxImages ?? Self.pictureCap
        evaluator.keepMisclassified = max(pictured, show)
        evaluator.keepRegressed = regressionsPictured
        var result = try evaluator.run(progress: progress)
        result.labelsLookedFor = labelsLookedFor
        result.gates = gates
        let notes = try writeFiles(result, pictured: pictured, regressionsPictured: regressionsPictured)
        let report = format == .json ? JSONReport.render(result) : TextReport.render(result)
        let art = show > 0 ? TextArt.misclassified(MisclassifiedGrid(result: result, limit: show).entries) : nil
        return Outcome(result: result, report: report, art: art, notes: notes)
    }

    private func writeFiles(_ result: EvaluationResult, pictured: Int, regressionsPictured: Int) throws -> [String] {
        var notes: [String] = []
        if let path = misclassifiedPath {
            try PNGFile.write(MisclassifiedGrid(result: result, limit: pictured).render(), to: path)
            if let errors = result.metrics.map({ $0.images - $0.correct }), errors > pictured, maxImages == nil {
                notes.append("\(path): drew the first \(pictured) of \(errors) misclassified images; --max-images sets the number")
            }
        }
        if let path = confusionPath, let metrics = result.metrics {
            try PNGFile.write(ConfusionHeatmap(confusion: metrics.confusion).render(), to: path)
        }
        if let path = regressionsPath, let comparison = result.comparison {
            try PNGFile.write(MisclassifiedGrid(regressions: comparison, limit: regressionsPictured).render(), to: path)
            if comparison.regressions > regressionsPictured, maxImages == nil {
                notes.append("\(path): drew the first \(regressionsPictured) of \(comparison.regressions) regressed images; "
                    + "--max-images sets the number")
            }
        }
        if let path = junitPath { try TextFile.write(JUnitReport.render(result), to: path) }
        if let path = summaryPath { try TextFile.append(SummaryReport.render(result), to: path) }
        return notes
    }
}
