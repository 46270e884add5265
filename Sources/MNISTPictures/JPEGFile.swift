import CJPEG

/// JPEG reading through libjpeg-turbo, and writing for tests. Every libjpeg
/// call is made by `CJPEG.c`, which catches libjpeg's longjmp errors in C;
/// this file turns its status codes into `ImageError`s and keeps the pointer
/// handling in one place.
public enum JPEGFile {
    /// Every JPEG starts with SOI (FF D8) and the FF of its next marker.
    public static let signature: [UInt8] = [0xFF, 0xD8, 0xFF]

    /// The most scans read from one file. libjpeg's own progressive script
    /// writes 10 (colour) or 6 (grey); each scan goes over the whole picture
    /// again, so a file of thousands of tiny scans would take minutes.
    public static let scanLimit = 500

    /// Reads a whole JPEG file's bytes as 8-bit grey (see `cjpeg_read_grey`:
    /// colour turned grey with the Rec. 709 weights PNG and PPM get), turned
    /// upright as its EXIF orientation tag says.
    /// - Throws: `ImageError`: `tooLarge` (refused from the header, before
    ///   any pixel memory), `zeroSize`, `outOfMemory`, or `malformedJPEG`
    ///   with the byte offset libjpeg had read to (bad markers, damaged or
    ///   cut-short data, an unsupported colour space, too many scans).
    public static func read(_ bytes: [UInt8], path: String, maxDimension: Int = ImageError.maxDimension,
                            scanLimit: Int = scanLimit) throws(ImageError) -> GreyImage {
        var image = cjpeg_grey_image()
        var status = cjpeg_status()
        let code = bytes.withUnsafeBufferPointer { data in
            cjpeg_read_grey(data.baseAddress, data.count, UInt32(clamping: maxDimension), Int32(scanLimit), &image, &status)
        }
        defer { cjpeg_free_image(&image) }
        let offset = Int(status.offset)
        let text = message(of: &status)
        switch code {
        case Int32(CJPEG_OK):
            let width = Int(image.width), height = Int(image.height)
            let pixels = Array(UnsafeBufferPointer(start: image.pixels, count: width * height))
            let exif = image.exif.map { Array(UnsafeBufferPointer(start: $0, count: image.exif_length)) } ?? []
            return GreyImage(width: width, height: height, pixels: pixels)
                .oriented(exif: ExifOrientation.value(inAPP1: exif) ?? 1)
        case Int32(CJPEG_TOO_LARGE):
            throw ImageError(.tooLarge(width: Int(status.width), height: Int(status.height), limit: maxDimension), path: path)
        case Int32(CJPEG_ZERO_SIZE): throw ImageError(.zeroSize(width: Int(status.width), height: Int(status.height)), path: path)
        case Int32(CJPEG_NO_MEMORY): throw ImageError(.outOfMemory, path: path)
        case Int32(CJPEG_TRUNCATED):
            throw ImageError(.malformedJPEG("the file ends early (libjpeg: \(text))"), path: path, offset: offset)
        case Int32(CJPEG_CORRUPT_DATA):
            throw ImageError(.malformedJPEG("damaged image data in scan \(status.scan) (libjpeg: \(text))"), path: path, offset: offset)
        case Int32(CJPEG_TOO_MANY_SCANS):
            throw ImageError(.malformedJPEG("too many scans; expected at most \(scanLimit)"), path: path, offset: offset)
        default:
            throw ImageError(.malformedJPEG(text), path: path, offset: offset)
        }
    }

    /// Encodes `pixels` (`[height, width, components]`: 1 grey, 3 RGB, 4 CMYK
    /// with 255 meaning no ink, as Photoshop stores it) with libjpeg. Tests
    /// make their JPEG fixtures with it.
    public static func encode(_ pixels: [UInt8], width: Int, height: Int, components: Int, quality: Int = 90,
                              progressive: Bool = false, arithmetic: Bool = false) throws(ImageError) -> [UInt8] {
        precondition([1, 3, 4].contains(components), "components must be 1 (grey), 3 (RGB) or 4 (CMYK)")
        precondition(width > 0 && height > 0 && pixels.count == width * height * components, "pixels must be height×width×components")
        var output: UnsafeMutablePointer<UInt8>?
        var size = 0
        var status = cjpeg_status()
        let flags = (progressive ? Int32(CJPEG_WRITE_PROGRESSIVE) : 0) | (arithmetic ? Int32(CJPEG_WRITE_ARITHMETIC) : 0)
        let code = pixels.withUnsafeBufferPointer { data in
            cjpeg_write(data.baseAddress, UInt32(width), UInt32(height), Int32(components), Int32(quality), flags,
                        &output, &size, &status)
        }
        defer { cjpeg_free(output) }
        guard code == Int32(CJPEG_OK), let output else {
            throw ImageError(.malformedJPEG(message(of: &status)), path: "(JPEG being encoded)")
        }
        return Array(UnsafeBufferPointer(start: output, count: size))
    }

    private static func message(of status: inout cjpeg_status) -> String {
        withUnsafeBytes(of: &status.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
