import MNISTPictures
import MNISTReport

/// `mnist-predict`'s output: a few lines per image for people, or one JSON
/// array for programs (`file`, `predicted`, `probability`, `top3`).
public enum PredictionReport {
    /// ```
    /// seven.png: 7
    ///   top 3: 7 99.87%, 2 0.09%, 3 0.02%
    /// ```
    /// followed by the classified 28×28 input as text art when `show` is set.
    public static func text(_ predictions: [DigitPrediction], show: Bool) -> String {
        var text = ""
        for prediction in predictions {
            text += "\(prediction.file): \(prediction.predicted)\n"
            text += "  top 3: " + prediction.top3.map { "\($0.digit) \(percent($0.probability))" }
                .joined(separator: ", ") + "\n"
            if show { text += TextArt.render(prediction.input).joined(separator: "\n") + "\n" }
        }
        return text
    }

    public static func json(_ predictions: [DigitPrediction]) -> String {
        let items = predictions.map { prediction -> JSONValue in
            .object([
                ("file", .string(prediction.file)),
                ("predicted", .int(prediction.predicted)),
                ("probability", .number(Double(prediction.probability))),
                ("top3", .array(prediction.top3.map { candidate in
                    .object([("digit", .int(candidate.digit)), ("probability", .number(Double(candidate.probability)))])
                })),
            ])
        }
        return JSONValue.array(items).rendered() + "\n"
    }

    static func percent(_ probability: Float) -> String {
        let hundredths = Int((Double(probability) * 10_000).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)%"
    }
}
