import MNISTEvaluation
import MNISTPictures

extension TextArt {
    /// The first misclassified digits of a run, each under a caption line
    /// `#247  true 4  predicted 2 (63%)`.
    public static func misclassified(_ entries: [RetainedImage]) -> String {
        var text = ""
        for entry in entries {
            text += "#\(entry.index)  true \(entry.label)  predicted \(entry.predicted) "
                + "(\(Int((entry.confidence * 100).rounded()))%)\n"
            text += render(entry.pixels, trimBlankRows: true).joined(separator: "\n") + "\n"
        }
        return text
    }
}
