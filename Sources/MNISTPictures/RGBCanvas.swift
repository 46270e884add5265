/// An 8-bit RGB raster that pictures are drawn into before `PNGFile.write`.
///
/// It offers only what the grid and the heat map need: filled rectangles,
/// MNIST images scaled by whole pixels, and `BitmapFont` text. Drawing outside
/// the canvas is clipped, so layout code need not be exact at the edges.
public struct RGBCanvas: Sendable {
    public struct Colour: Sendable, Equatable {
        public var r: UInt8, g: UInt8, b: UInt8
        public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) { self.r = r; self.g = g; self.b = b }
        public static let white = Colour(255, 255, 255)
        public static let black = Colour(0, 0, 0)

        /// Perceived brightness 0...255 (Rec. 709), to pick readable text on a fill.
        public var luminance: Double { 0.2126 * Double(r) + 0.7152 * Double(g) + 0.0722 * Double(b) }
    }

    public let width: Int
    public let height: Int
    /// `[height, width, 3]`, row-major.
    public private(set) var pixels: [UInt8]

    public init(width: Int, height: Int, background: Colour = .white) {
        precondition(width > 0 && height > 0, "a canvas needs pixels")
        self.width = width
        self.height = height
        pixels = [UInt8](repeating: 0, count: width * height * 3)
        fill(x: 0, y: 0, width: width, height: height, background)
    }

    public func colour(x: Int, y: Int) -> Colour {
        let at = (y * width + x) * 3
        return Colour(pixels[at], pixels[at + 1], pixels[at + 2])
    }

    public mutating func set(x: Int, y: Int, _ colour: Colour) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        let at = (y * width + x) * 3
        pixels[at] = colour.r
        pixels[at + 1] = colour.g
        pixels[at + 2] = colour.b
    }

    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, _ colour: Colour) {
        for row in max(0, y)..<max(max(0, y), min(height, y + h)) {
            for column in max(0, x)..<max(max(0, x), min(width, x + w)) { set(x: column, y: row, colour) }
        }
    }

    /// Draws an MNIST image (`size`×`size`, 255 = ink) as dark ink on white
    /// paper, each pixel a `scale`×`scale` block.
    public mutating func drawDigit(_ pixels: [UInt8], size: Int = 28, x: Int, y: Int, scale: Int) {
        for row in 0..<size {
            for column in 0..<size {
                let level = 255 - pixels[row * size + column]
                fill(x: x + column * scale, y: y + row * scale, width: scale, height: scale, Colour(level, level, level))
            }
        }
    }

    /// Draws `text` with its top-left corner at (x, y). Characters the font
    /// lacks are drawn as blanks, so a caption never stops half-way.
    public mutating func drawText(_ text: String, x: Int, y: Int, scale: Int, _ colour: Colour = .black) {
        for (index, character) in text.enumerated() {
            guard let glyph = BitmapFont.glyph(character) else { continue }
            let left = x + index * BitmapFont.advance * scale
            for (row, bits) in glyph.enumerated() {
                for (column, ink) in bits.enumerated() where ink {
                    fill(x: left + column * scale, y: y + row * scale, width: scale, height: scale, colour)
                }
            }
        }
    }

    /// `drawText` centred horizontally on `centreX`.
    public mutating func drawText(_ text: String, centreX: Int, y: Int, scale: Int, _ colour: Colour = .black) {
        drawText(text, x: centreX - BitmapFont.width(of: text, scale: scale) / 2, y: y, scale: scale, colour)
    }
}
