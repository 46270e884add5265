import CPNG

/// PNG reading and writing through libpng. Every libpng call is made by the C
/// target `CPNG`, which catches libpng's longjmp errors in C; this file turns
/// its status codes into `ImageError`s, keeps the pointer handling in one
/// place, and decides what a transparent pixel is (paper: white).
public enum PNGFile {
    /// The 8-byte signature every PNG starts with.
    public static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// PNG colour types, as IHDR stores them.
    public enum ColorType: Int32, Sendable {
        case grey = 0, rgb = 2, palette = 3, greyAlpha = 4, rgba = 6

        var channels: Int {
            switch self {
            case .grey, .palette: 1
            case .greyAlpha: 2
            case .rgb: 3
            case .rgba: 4
            }
        }
    }

    /// Reads a PNG whose signature `ImageFile` has checked (libpng is told
    /// so, and does not read it again) as 8-bit grey (see `cpng_read_grey`),
    /// its alpha composited on white paper.
    /// - Throws: `ImageError`: `cannotOpen`, `malformedPNG` (bad CRC,
    ///   truncated data, zero size, ...), `tooLarge`. `ImageFile` checks the
    ///   header's size first, to name a zero size plainly.
    static func read(signedPath path: String, maxDimension: Int = ImageError.maxDimension) throws(ImageError) -> GreyImage {
        var image = cpng_grey_image()
        var status = cpng_status()
        let code = cpng_read_grey(path, UInt32(clamping: maxDimension), &image, &status)
        defer { cpng_free(image.pixels) }
        switch Int32(code) {
        case Int32(CPNG_OK):
            let width = Int(image.width), height = Int(image.height)
            let samples = UnsafeBufferPointer(start: image.pixels, count: width * height * Int(image.channels))
            let pixels = image.channels == 2 ? onWhitePaper(greyAlpha: samples) : Array(samples)
            return GreyImage(width: width, height: height, pixels: pixels)
        case Int32(CPNG_CANNOT_OPEN): throw ImageError(.cannotOpen(errno: status.os_errno), path: path)
        case Int32(CPNG_TOO_LARGE):
            throw ImageError(.tooLarge(width: Int(image.width), height: Int(image.height), limit: maxDimension), path: path)
        case Int32(CPNG_NO_MEMORY): throw ImageError(.outOfMemory, path: path)
        default:
            // libpng's stdio reader says only "Read Error" when the file ends early.
            let text = message(of: &status)
            throw ImageError(.malformedPNG(text == "Read Error" ? "the file ends early (libpng: Read Error)" : text), path: path)
        }
    }

    /// Grey + alpha pairs composited on white paper, rounded to the nearest
    /// level: a transparent pixel is paper, as in a drawing program's export.
    static func onWhitePaper(greyAlpha samples: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        (0..<samples.count / 2).map { i in
            let grey = UInt32(samples[2 * i]), alpha = UInt32(samples[2 * i + 1])
            return UInt8((grey * alpha + 255 * (255 - alpha) + 127) / 255)
        }
    }

    /// Writes 8-bit RGB pixels (`[height, width, 3]`), the form pictures are drawn in.
    public static func write(_ canvas: RGBCanvas, to path: String) throws(ImageError) {
        try write(path: path, width: canvas.width, height: canvas.height, bitDepth: 8, colorType: .rgb,
                  data: canvas.pixels)
    }

    /// Writes packed PNG rows as they are stored in the file (16-bit samples
    /// big-endian). Tests use it to make every kind of PNG the reader accepts.
    public static func write(path: String, width: Int, height: Int, bitDepth: Int, colorType: ColorType,
                             interlaced: Bool = false, data: [UInt8], palette: [UInt8] = []) throws(ImageError) {
        let rowBytes = cpng_row_bytes(UInt32(width), Int32(bitDepth), colorType.rawValue)
        precondition(data.count == rowBytes * height, "data must hold \(height) rows of \(rowBytes) bytes")
        precondition(palette.count % 3 == 0, "palette entries are RGB triples")
        var status = cpng_status()
        let code = data.withUnsafeBufferPointer { rows in
            palette.withUnsafeBufferPointer { colours in
                cpng_write(path, UInt32(width), UInt32(height), Int32(bitDepth), colorType.rawValue,
                           interlaced ? 1 : 0, rows.baseAddress, colours.baseAddress, Int32(palette.count / 3), &status)
            }
        }
        switch Int32(code) {
        case Int32(CPNG_OK): return
        case Int32(CPNG_CANNOT_OPEN), Int32(CPNG_WRITE_FAILED):
            throw ImageError(.writeFailed(errno: status.os_errno), path: path)
        case Int32(CPNG_NO_MEMORY): throw ImageError(.outOfMemory, path: path)
        default: throw ImageError(.malformedPNG(message(of: &status)), path: path)
        }
    }

    private static func message(of status: inout cpng_status) -> String {
        withUnsafeBytes(of: &status.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
