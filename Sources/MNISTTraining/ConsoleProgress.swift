import MNISTPlumbing

/// Writes training progress to standard error.
///
/// On a terminal one live line is redrawn (`\r` plus ANSI clear-line) with the
/// batch progress, loss, speed and time left, and every epoch leaves a line
/// behind; in a log file or pipe only the per-epoch lines appear, so logs stay
/// readable.
public final class ConsoleProgress: @unchecked Sendable {
    private let isTerminal: Bool

    public init(isTerminal: Bool = FileDescriptor.standardError.isTerminal) {
        self.isTerminal = isTerminal
    }

    public func handle(_ event: TrainingEvent) {
        switch event {
        case .batch(let progress):
            guard isTerminal else { return }
            let line = "epoch \(progress.epoch)/\(progress.epochs)  batch \(progress.batch)/\(progress.batches)"
                + "  loss \(NumberFormat.fixed(progress.loss, decimals: 4))  \(Int(progress.imagesPerSecond)) images/s"
                + "  \(Self.duration(progress.secondsLeft)) left"
            emit("\r\u{1B}[2K" + line)
        case .epoch(let summary):
            emit((isTerminal ? "\r\u{1B}[2K" : "") + Self.epochLine(summary) + "\n")
        }
    }

    /// `epoch 3/40  loss 0.1234  validation 98.12%  2.143 s` (training and validating the epoch;
    /// milliseconds, as scripts/bench.sh compares epochs of about 0.4 s).
    public static func epochLine(_ summary: EpochSummary) -> String {
        let validation = summary.validationAccuracy.map { "  validation \(NumberFormat.percent($0))" } ?? ""
        return "epoch \(summary.epoch)/\(summary.epochs)  loss \(NumberFormat.fixed(summary.loss, decimals: 4))\(validation)  \(NumberFormat.fixed(summary.seconds, decimals: 3)) s"
    }

    /// `1m05s` or `42s`.
    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        return total >= 60 ? "\(total / 60)m\(total % 60 < 10 ? "0" : "")\(total % 60)s" : "\(total)s"
    }

    /// Straight to file descriptor 2: unbuffered, so the live line shows at once.
    private func emit(_ text: String) { StandardError.write(text) }
}
