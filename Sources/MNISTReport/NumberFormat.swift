import CFormat

/// The number formats every report uses, in one place so that the same
/// figure is written the same way everywhere.
///
/// All of them are locale-independent (C's `snprintf` in the default "C"
/// locale: `.` for decimals, no grouping) because CI pipelines parse the
/// output and a decimal comma would break them. Plain libc rather than
/// Foundation's `String(format:)`: the command-line tools then load only
/// FoundationEssentials, which measured 6 ms less process start-up.
public enum NumberFormat {
    /// `value` with exactly `decimals` digits after the point, e.g. `0.041`.
    /// Non-finite values are spelled `nan`, `inf`, `-inf`.
    public static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf") }
        let text = cFixed(value, decimals: decimals)
        return isNegativeZero(text) ? String(text.dropFirst()) : text
    }

    /// A fraction as a percentage with two decimals: 0.98125 → `98.13%`.
    public static func percent(_ fraction: Double) -> String {
        fixed(fraction * 100, decimals: 2) + "%"
    }

    /// An integer with thousands separated by commas: 243902 → `243,902`.
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return value < 0 ? "-" + out : out
    }

    /// A JSON number: at most six decimals, trailing zeros removed
    /// (0.98120 → `0.9812`, 1 → `1`), or `nil` for NaN and infinity, which
    /// JSON cannot represent. Six decimals keep a 1,000,000-image accuracy
    /// exact and make the output independent of binary rounding noise.
    static func json(_ value: Double) -> String? {
        guard value.isFinite else { return nil }
        var text = fixed(value, decimals: 6)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return isNegativeZero(text) ? "0" : text
    }

    /// True for `-0`, `-0.00` and so on: a value that rounded to zero from
    /// below. Printing the sign would make equal results look different.
    private static func isNegativeZero(_ text: String) -> Bool {
        text.hasPrefix("-") && text.dropFirst().allSatisfy { $0 == "0" || $0 == "." }
    }

    /// `text` padded with spaces on the left to `width` columns.
    static func right(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }

    /// `text` padded with spaces on the right to `width` columns.
    static func left(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - text.count))
    }
}

/// `snprintf("%.*f")` into a String (correctly rounded, C locale).
private func cFixed(_ value: Double, decimals: Int) -> String {
    var buffer = [CChar](repeating: 0, count: 64)
    let needed = Int(cformat_fixed(&buffer, buffer.count, Int32(decimals), value))
    if needed >= buffer.count {
        buffer = [CChar](repeating: 0, count: needed + 1)
        _ = cformat_fixed(&buffer, buffer.count, Int32(decimals), value)
    }
    return String(cString: buffer)
}
