import CFormat

/// Text helpers shared by the weights' metadata, the reports and the trainer's
/// output, without Foundation (whose import loads the whole library and ICU).
public enum Text {
    /// `text` without the spaces and tabs around it.
    public static func trimmed(_ text: some StringProtocol) -> Substring {
        var trimmed = Substring(text)
        while let first = trimmed.first, first == " " || first == "\t" { trimmed.removeFirst() }
        while let last = trimmed.last, last == " " || last == "\t" { trimmed.removeLast() }
        return trimmed
    }

    /// `value` with exactly `decimals` digits after the point, e.g. `0.041`:
    /// C's `snprintf("%.*f")`, correctly rounded and locale-independent (`.`,
    /// no grouping), since CI pipelines parse the output. A value that rounds
    /// to zero from below prints without its sign (`0.00`, not `-0.00`), so
    /// equal results never look different. Non-finite values are spelled
    /// `nan`, `inf`, `-inf`.
    public static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf") }
        var buffer = [CChar](repeating: 0, count: 64)
        let needed = Int(cformat_fixed(&buffer, buffer.count, Int32(decimals), value))
        if needed >= buffer.count {
            buffer = [CChar](repeating: 0, count: needed + 1)
            _ = cformat_fixed(&buffer, buffer.count, Int32(decimals), value)
        }
        let text = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        return isNegativeZero(text) ? String(text.dropFirst()) : text
    }

    /// True for `-0`, `-0.00` and so on.
    static func isNegativeZero(_ text: String) -> Bool {
        text.hasPrefix("-") && text.dropFirst().allSatisfy { $0 == "0" || $0 == "." }
    }
}
