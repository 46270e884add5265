import Foundation

/// The number formats every report uses, in one place so that the same
/// figure is written the same way everywhere.
///
/// All of them are locale-independent (`String(format:)` without a locale is
/// the C locale: `.` for decimals, no grouping) because CI pipelines parse the
/// output and a decimal comma would break them.
enum NumberFormat {
    /// `value` with exactly `decimals` digits after the point, e.g. `0.041`.
    /// Non-finite values are spelled `nan`, `inf`, `-inf`.
    static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf") }
        let text = String(format: "%.\(decimals)f", value)
        return isNegativeZero(text) ? String(text.dropFirst()) : text
    }

    /// A fraction as a percentage with two decimals: 0.98125 → `98.13%`.
    static func percent(_ fraction: Double) -> String {
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
