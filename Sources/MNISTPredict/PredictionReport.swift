import MNISTPictures
import MNISTPlumbing

/// `mnist-predict`'s output: a few lines per image for people, or one JSON
/// array for programs.
public enum PredictionReport {
    /// ```
    /// seven.png: 7
    ///   top 3: 7 99.87%, 2 0.09%, 3 0.02%
    /// smudge.png: 4 (low confidence)
    ///   top 3: 4 41.20%, 9 30.05%, 7 12.11%
    /// blank.png: no digit found (ink too faint: 6 grey levels darker than the paper; expected at least 24)
    /// ```
    /// with the classified 28×28 input as text art after each answer when
    /// `show` is set. A file that failed has no line here: its error goes to
    /// stderr.
    public static func text(_ entries: [PredictionEntry], show: Bool) -> String {
        var text = ""
        for entry in entries {
            switch entry.outcome {
            case .classified(let prediction):
                text += "\(prediction.file): \(prediction.predicted)"
                    + (prediction.isLowConfidence ? " (low confidence)" : "") + "\n"
                text += "  top 3: " + prediction.top3.map { "\($0.digit) \(NumberFormat.percent(Double($0.probability)))" }
                    .joined(separator: ", ") + "\n"
                if show { text += TextArt.render(prediction.input).joined(separator: "\n") + "\n" }
            case .noDigit(let error):
                text += "\(error)\n"
            case .failed:
                break
            }
        }
        return text
    }

    /// One object per input, in order, each with every key:
    ///
    /// | key | classified | no digit | failed |
    /// |---|---|---|---|
    /// | `file` | the path as given | same | same |
    /// | `status` | `"classified"` | `"no_digit"` | `"error"` |
    /// | `predicted` | the digit | `null` | `null` |
    /// | `probability` | its probability | `null` | `null` |
    /// | `low_confidence` | `probability < 0.5` | `null` | `null` |
    /// | `top3` | `[{digit, probability}]` | `null` | `null` |
    /// | `error` | `null` | `"<file>: no digit found (<why>)"` | the error's line |
    public static func json(_ entries: [PredictionEntry]) -> String {
        let items = entries.map { entry -> JSONValue in
            var prediction: DigitPrediction?
            let status: String, error: String?
            switch entry.outcome {
            case .classified(let classified): (prediction, status, error) = (classified, "classified", nil)
            case .noDigit(let reason): (status, error) = ("no_digit", "\(reason)")
            case .failed(let message, _): (status, error) = ("error", message)
            }
            return .object([
                ("file", .string(entry.file)),
                ("status", .string(status)),
                ("predicted", prediction.map { .int($0.predicted) } ?? .null),
                ("probability", .number(prediction.map { Double($0.probability) })),
                ("low_confidence", prediction.map { .bool($0.isLowConfidence) } ?? .null),
                ("top3", prediction.map { prediction in
                    .array(prediction.top3.map { candidate in
                        .object([("digit", .int(candidate.digit)), ("probability", .number(Double(candidate.probability)))])
                    })
                } ?? .null),
                ("error", .string(error)),
            ])
        }
        return JSONValue.array(items).rendered() + "\n"
    }
}
