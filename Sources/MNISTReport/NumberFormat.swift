import MNISTNetwork

/// The number formats every report uses, in one place so that the same
/// figure is written the same way everywhere.
///
/// All of them are locale-independent (C's `snprintf` in the default "C"
/// locale: `.` for decimals, no grouping) because CI pipelines parse the
/// output and a decimal comma would break them. Plain libc rather than
/// Foundation's `String(format:)`: the command-line tools then load only
/// FoundationEssentials, which measured 6 ms less process start-up.
public enum NumberFormat {
    /// `value` with exactly `decimals` digits after the point, e.g. `0.041`
    /// (`Text.fixed`, which the trainer's output uses too).
    public static func fixed(_ value: Double, decimals: Int) -> String {
        Text.fixed(value, decimals: decimals)
    }

    /// A fraction as a percentage with two decimals: 0.98125 → `98.13%`.
    public static func percent(_ fraction: Double) -> String {
        fixed(fraction * 100, decimals: 2) + "%"
    }

    /// Two fractions as percentages with the fewest decimals (two to eight)
    /// that tell them apart, so that a gate's failure line never rounds a real
    /// difference away: 0.98931 and 0.9893 → `98.931%` and `98.930%`.
    public static func percentsApart(_ first: Double, _ second: Double) -> (String, String) {
        for decimals in 2...8 {
            let a = fixed(first * 100, decimals: decimals), b = fixed(second * 100, decimals: decimals)
            if a != b || decimals == 8 { return (a + "%", b + "%") }
        }
        preconditionFailure("unreachable: the loop returns at 8 decimals")
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
        return text
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
