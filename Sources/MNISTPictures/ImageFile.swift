import MNISTPlumbing

/// Opens a picture by its content, not its name: the PNG signature goes to
/// libpng, the JPEG one (FF D8 FF) to libjpeg, `P2`/`P3`/`P5`/`P6` to the PNM
/// reader, anything else is refused.
public enum ImageFile {
    /// PNM and JPEG files, read whole, are refused above this before reading:
    /// the largest allowed image, 8192×8192 RGB at 16 bits, is 403 MB raw.
    static let wholeFileLimit = 1 << 30

    public static func read(path: String) throws(ImageError) -> GreyImage {
        let file: FileDescriptor, info: FileStatus
        do { file = try FileDescriptor.open(path, .read) } catch { throw ImageError(.cannotOpen(errno: error.rawValue), path: path) }
        defer { try? file.close() }
        do { info = try file.status() } catch { throw ImageError(.cannotOpen(errno: error.rawValue), path: path) }
        if info.kind == .directory { throw ImageError(.isDirectory, path: path) }
        let head = try readBytes(file, upTo: 24, path: path)
        if head.isEmpty { throw ImageError(.emptyFile, path: path) }
        if head.starts(with: PNGFile.signature) {
            try checkPNGSize(head, path: path)
            return try PNGFile.read(signedPath: path)
        }
        if head.starts(with: JPEGFile.signature) {
            guard info.size <= wholeFileLimit else {
                throw ImageError(.malformedJPEG("file is \(info.size) bytes; expected at most \(wholeFileLimit)"), path: path)
            }
            return try JPEGFile.read(head + readBytes(file, upTo: wholeFileLimit, path: path), path: path)
        }
        guard head.count >= 2, head[0] == UInt8(ascii: "P"), [2, 3, 5, 6].contains(head[1] &- 0x30) else {
            throw ImageError(.unknownFormat(found: Array(head.prefix(4))), path: path)
        }
        guard info.size <= wholeFileLimit else {
            throw ImageError(.malformedPNM("file is \(info.size) bytes; expected at most \(wholeFileLimit)"), path: path)
        }
        let rest = try readBytes(file, upTo: wholeFileLimit, path: path)
        return try PNMReader.read(head + rest, path: path)
    }

    /// The IHDR chunk comes first in every PNG: signature, length, `IHDR`,
    /// then the big-endian width and height. libpng refuses a zero size too,
    /// but only as "Invalid IHDR data"; this names the problem.
    private static func checkPNGSize(_ head: [UInt8], path: String) throws(ImageError) {
        guard head.count >= 24, head[12..<16].elementsEqual("IHDR".utf8) else { return }
        let width = head[16..<20].reduce(0) { $0 << 8 | Int($1) }
        let height = head[20..<24].reduce(0) { $0 << 8 | Int($1) }
        if width == 0 || height == 0 { throw ImageError(.zeroSize(width: width, height: height), path: path) }
        if width > ImageError.maxDimension || height > ImageError.maxDimension {
            throw ImageError(.tooLarge(width: width, height: height, limit: ImageError.maxDimension), path: path)
        }
    }

    /// Up to `limit` bytes, fewer at the end of the file; a read error is reported as `cannotOpen`.
    private static func readBytes(_ file: FileDescriptor, upTo limit: Int, path: String) throws(ImageError) -> [UInt8] {
        do { return try file.readAll(upTo: limit) } catch { throw ImageError(.cannotOpen(errno: error.rawValue), path: path) }
    }
}
