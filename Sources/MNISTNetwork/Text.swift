/// Text helpers shared by the weights' metadata and the trainer's options,
/// without Foundation (whose import loads the whole library and ICU).
public enum Text {
    /// `text` without the spaces and tabs around it.
    public static func trimmed(_ text: some StringProtocol) -> Substring {
        var trimmed = Substring(text)
        while let first = trimmed.first, first == " " || first == "\t" { trimmed.removeFirst() }
        while let last = trimmed.last, last == " " || last == "\t" { trimmed.removeLast() }
        return trimmed
    }
}
