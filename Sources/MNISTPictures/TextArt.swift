/// Digits as text for a terminal, for people without an image viewer:
/// `--show` in `mnist-eval` and `mnist-predict`.
///
/// Each pixel is two characters wide because terminal cells are about twice
/// as tall as wide, so the digit keeps its shape. Ink maps to ten shades from
/// blank to `@`; a frame shows the edge of the 28×28 field.
public enum TextArt {
    public static let shades = Array(" .:-=+*#%@")

    /// `pixels` is `[size * size]` with 255 = ink. `trimBlankRows` drops the
    /// empty rows above and below the digit (MNIST has about four each), to
    /// keep a list of digits short.
    public static func render(_ pixels: [UInt8], size: Int = 28, trimBlankRows: Bool = false) -> [String] {
        precondition(pixels.count == size * size, "pixels must be size×size")
        var rows = Array(0..<size)
        if trimBlankRows {
            let inked = rows.filter { row in pixels[(row * size)..<((row + 1) * size)].contains { $0 > 0 } }
            if let first = inked.first, let last = inked.last { rows = Array(first...last) }
        }
        let border = "+" + String(repeating: "-", count: 2 * size) + "+"
        var lines = [border]
        for row in rows {
            var line = "|"
            for column in 0..<size {
                let shade = shade(pixels[row * size + column])
                line.append(shade)
                line.append(shade)
            }
            lines.append(line + "|")
        }
        lines.append(border)
        return lines
    }

    /// Blank only for no ink at all, so the faintest stroke still shows as `.`.
    public static func shade(_ level: UInt8) -> Character {
        level == 0 ? " " : shades[max(1, (Int(level) * (shades.count - 1) + 127) / 255)]
    }
}
