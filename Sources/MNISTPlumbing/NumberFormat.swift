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

    /// A fraction as a percentage, with two decimals unless told: 0.98125 →
    /// `98.13%`. Every percentage the tools print is written here.
    public static func percent(_ fraction: Double, decimals: Int = 2) -> String {
        fixed(fraction * 100, decimals: decimals) + "%"
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

    /// Two fractions as percentages for a gate line that may have passed at
    /// equality: equal values with two decimals (`98.50%` and `98.50%`),
    /// different ones as `percentsApart` writes them.
    public static func percentsCompared(_ first: Double, _ second: Double) -> (String, String) {
        first == second ? (percent(first), percent(second)) : percentsApart(first, second)
    }

    /// Two fractions as percentage points (×100, no sign, no `%`) with the
    /// fewest decimals (two to eight) that tell them apart; two when equal:
    /// a drop of 0.0030001 against a limit of 0.003 → `0.30001` and `0.30000`.
    public static func pointsApart(_ first: Double, _ second: Double) -> (String, String) {
        apart(first * 100, second * 100, decimals: 2...8)
    }

    /// A difference of two fractions in percentage points with its sign and two
    /// decimals: 0.0112 → `+1.12`, −0.003 → `-0.30`, 0 → `0.00`.
    public static func signedPoints(_ difference: Double) -> String {
        let text = fixed(difference * 100, decimals: 2)
        return text.hasPrefix("-") || text.allSatisfy({ $0 == "0" || $0 == "." }) ? text : "+" + text
    }

    /// A p-value: `p = 0.0215` with four decimals, or `p < 0.0001` when it
    /// rounds to zero. Given `alpha`, with as many more decimals (up to
    /// twelve) as tell the two apart, so that `p = 0.0501` is never printed
    /// beside an alpha of 0.05 as `p = 0.0500`; equal to it, as it is written.
    public static func pValue(_ p: Double, against alpha: Double? = nil) -> String {
        if let alpha, p == alpha { return "p = " + plain(alpha) }
        let text = alpha.map { apart(p, $0, decimals: 4...12).0 } ?? fixed(p, decimals: 4)
        guard text.allSatisfy({ $0 == "0" || $0 == "." }) else { return "p = " + text }
        return "p < " + String(text.dropLast()) + "1"
    }

    /// A threshold as the user would have typed it: the shortest decimal text
    /// of up to twelve decimals (0.05 → `0.05`, 1 → `1`, 2⁻¹¹ → `0.00048828125`).
    public static func plain(_ value: Double) -> String {
        var text = fixed(value, decimals: 12)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// `first` and `second` with the fewest decimals in `decimals` that tell
    /// them apart (the fewest when they are equal).
    public static func apart(_ first: Double, _ second: Double, decimals: ClosedRange<Int>) -> (String, String) {
        var texts = (fixed(first, decimals: decimals.lowerBound), fixed(second, decimals: decimals.lowerBound))
        guard first != second else { return texts }
        for places in decimals {
            texts = (fixed(first, decimals: places), fixed(second, decimals: places))
            if texts.0 != texts.1 { break }
        }
        return texts
    }

    /// An integer with thousands separated by commas: 243902 → `243,902`.
    public static func grouped(_ value: Int) -> String {
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
    public static func json(_ value: Double) -> String? {
        guard value.isFinite else { return nil }
        var text = fixed(value, decimals: 6)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// `text` padded with spaces on the left to `width` columns.
    public static func right(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }

    /// `text` padded with spaces on the right to `width` columns.
    public static func left(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - text.count))
    }

    /// True for `-0`, `-0.00` and so on.
    static func isNegativeZero(_ text: String) -> Bool {
        text.hasPrefix("-") && text.dropFirst().allSatisfy { $0 == "0" || $0 == "." }
    }

    /// `text` without the spaces and tabs around it, for numbers read from
    /// text (weights metadata, `--hidden 100,50`).
    public static func trimmed(_ text: some StringProtocol) -> Substring {
        var trimmed = Substring(text)
        while let first = trimmed.first, first == " " || first == "\t" { trimmed.removeFirst() }
        while let last = trimmed.last, last == " " || last == "\t" { trimmed.removeLast() }
        return trimmed
    }
}
