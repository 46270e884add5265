import MNISTEvaluation
import MNISTPlumbing

/// The run as JUnit XML (`mnist-eval --junit FILE`), the format CI systems
/// (Jenkins, GitLab, GitHub Actions through a reporter action) show test
/// results from.
///
/// One `<testsuite>`, the document's root, with one `<testcase>` per gate
/// (`min-accuracy`, `max-drop`) and one per digit's recall (`recall-0` …
/// `recall-9`: the digit's `--min-recall` gate, or, without one, a case that
/// passes and says the figure). A failed gate has a `<failure>` whose
/// `message` is its report line; a digit with no images is `<skipped>`. The
/// run's inputs and headline figures are `<properties>`.
///
/// Valid against the Jenkins JUnit schema (xunit-plugin's `junit-10.xsd`,
/// the one GitLab's documentation points to), which the tests check.
/// Names are stable from run to run, so a CI system can follow each case's
/// history; there is no timestamp or host name, so the same result gives
/// the same file, apart from the run's time.
public enum JUnitReport {
    public static let suiteName = "mnist-eval"

    /// The document, ending with a newline.
    public static func render(_ result: EvaluationResult) -> String {
        let cases = testCases(result)
        let failures = cases.filter { $0.outcome.map { !$0.passed } ?? false }.count
        let skipped = cases.filter { $0.outcome?.skipped ?? false || $0.skippedMessage != nil }.count
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuite" + attributes([
            ("name", suiteName), ("tests", String(cases.count)), ("failures", String(failures)),
            ("errors", "0"), ("skipped", String(skipped)), ("time", time(result.seconds)),
        ]) + ">\n"
        out += "  <properties>\n"
        for (name, value) in properties(result) {
            out += "    <property" + attributes([("name", name), ("value", value)]) + "/>\n"
        }
        out += "  </properties>\n"
        for testCase in cases { out += testCase.xml }
        out += "</testsuite>\n"
        return out
    }

    /// One `<testcase>`: a gate's outcome, or a digit's recall without a gate.
    struct TestCase {
        var name: String
        var classname: String
        var outcome: GateOutcome?
        /// Without a gate: the figure, as the case's output.
        var output: String?
        /// Without a gate, and nothing to measure.
        var skippedMessage: String?

        var xml: String {
            let open = "  <testcase" + JUnitReport.attributes([("name", name), ("classname", classname)])
            var body = ""
            if let outcome {
                if outcome.skipped {
                    body += "    <skipped" + JUnitReport.attributes([("message", outcome.message)]) + "/>\n"
                } else if !outcome.passed {
                    body += "    <failure" + JUnitReport.attributes([("message", outcome.message), ("type", outcome.name)]) + ">"
                        + JUnitReport.escaped(outcome.message, inAttribute: false) + "</failure>\n"
                } else {
                    body += "    <system-out>" + JUnitReport.escaped(outcome.message, inAttribute: false) + "</system-out>\n"
                }
            } else if let skippedMessage {
                body += "    <skipped" + JUnitReport.attributes([("message", skippedMessage)]) + "/>\n"
            } else if let output {
                body += "    <system-out>" + JUnitReport.escaped(output, inAttribute: false) + "</system-out>\n"
            }
            return open + ">\n" + body + "  </testcase>\n"
        }
    }

    static func testCases(_ result: EvaluationResult) -> [TestCase] {
        let outcomes = result.gateOutcomes
        var cases = outcomes.filter { !$0.name.hasPrefix("recall-") }.map {
            TestCase(name: $0.name, classname: "\(suiteName).gate", outcome: $0)
        }
        guard let metrics = result.metrics else { return cases }
        for entry in metrics.perClass {
            let name = "recall-\(entry.digit)"
            var testCase = TestCase(name: name, classname: "\(suiteName).recall")
            if let outcome = outcomes.first(where: { $0.name == name }) {
                testCase.outcome = outcome
            } else if entry.support == 0 {
                testCase.skippedMessage = "no images of digit \(entry.digit)"
            } else {
                testCase.output = "recall of digit \(entry.digit) \(NumberFormat.percent(entry.recall)) "
                    + "(\(entry.truePositives)/\(entry.support)); no --min-recall for it"
            }
            cases.append(testCase)
        }
        return cases
    }

    /// The inputs and headline figures, as `name`/`value` strings.
    static func properties(_ result: EvaluationResult) -> [(String, String)] {
        var properties: [(String, String)] = [
            ("images_path", result.imagesPath),
            ("labels_path", result.labelsPath ?? ""),
            ("weights", result.weightsPath),
            ("images", String(result.tally.images)),
        ]
        if let metrics = result.metrics {
            properties.append(("accuracy", number(metrics.accuracy)))
            properties.append(("accuracy_ci95", "\(number(metrics.wilson95.lower)) \(number(metrics.wilson95.upper))"))
        }
        if let comparison = result.comparison {
            let interval = comparison.accuracyDeltaCI95
            properties += [
                ("baseline", comparison.baselinePath),
                ("baseline_accuracy", number(comparison.baselineMetrics.accuracy)),
                ("accuracy_delta", number(comparison.accuracyDelta)),
                ("accuracy_delta_ci95", "\(number(interval.lower)) \(number(interval.upper))"),
                ("regressions", String(comparison.regressions)),
                ("fixes", String(comparison.fixes)),
                ("p_value", number(comparison.pValue)),
            ]
        }
        return properties
    }

    /// A number as the JSON report writes it (at most six decimals).
    static func number(_ value: Double) -> String { NumberFormat.json(value) ?? "nan" }

    /// Seconds with three decimals, as the schema's `SUREFIRE_TIME` pattern
    /// allows (no sign, no exponent, no `nan`).
    static func time(_ seconds: Double) -> String {
        NumberFormat.fixed(seconds.isFinite && seconds > 0 ? seconds : 0, decimals: 3)
    }

    /// ` name="value" ...` with each value escaped.
    static func attributes(_ pairs: [(String, String)]) -> String {
        pairs.map { " \($0.0)=\"\(escaped($0.1, inAttribute: true))\"" }.joined()
    }

    /// `text` as XML character data: `& < > " '` as entities; in an attribute,
    /// also tab, newline and carriage return as character references (a
    /// parser would otherwise turn them into spaces); characters XML 1.0 does
    /// not allow at all (other control characters, U+FFFE, U+FFFF) as U+FFFD.
    static func escaped(_ text: String, inAttribute: Bool) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n": out += inAttribute ? "&#\(scalar.value);" : String(scalar)
            case "\r": out += "&#13;"
            case let control where control.value < 0x20 || control.value == 0xFFFE || control.value == 0xFFFF:
                out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
