/// An 8-bit grey picture as read from a file: 0 is black, 255 is white.
///
/// This is the one in-memory form every reader produces (PNG through libpng,
/// PGM/PPM by hand), so preprocessing and text art need to handle only it.
public struct GreyImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// `[height, width]`, row-major.
    public var pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width >= 0 && height >= 0 && pixels.count == width * height, "pixel count must be width×height")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    public subscript(x: Int, y: Int) -> UInt8 {
        get { pixels[y * width + x] }
        set { pixels[y * width + x] = newValue }
    }

    /// The image with black and white swapped: MNIST stores white ink (255)
    /// on black (0), paper is the other way round.
    public var inverted: GreyImage {
        GreyImage(width: width, height: height, pixels: pixels.map { 255 - $0 })
    }
}
