#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Opens a picture by its content, not its name: the PNG signature goes to
/// libpng, the JPEG one (FF D8 FF) to libjpeg, `P2`/`P3`/`P5`/`P6` to the PNM
/// reader, anything else is refused.
public enum ImageFile {
    /// PNM and JPEG files, read whole, are refused above this before reading:
    /// the largest allowed image, 8192×8192 RGB at 16 bits, is 403 MB raw.
    static let wholeFileLimit = 1 << 30

    public static func read(path: String) throws(ImageError) -> GreyImage {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ImageError(.cannotOpen(errno: errno), path: path) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw ImageError(.cannotOpen(errno: errno), path: path) }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw ImageError(.isDirectory, path: path) }
        let head = try readBytes(fd, upTo: 24, path: path)
        if head.isEmpty { throw ImageError(.emptyFile, path: path) }
        if head.starts(with: PNGFile.signature) {
            try checkPNGSize(head, path: path)
            return try PNGFile.read(path: path)
        }
        if head.starts(with: JPEGFile.signature) {
            guard Int(info.st_size) <= wholeFileLimit else {
                throw ImageError(.malformedJPEG("file is \(info.st_size) bytes; expected at most \(wholeFileLimit)"), path: path)
            }
            return try JPEGFile.read(head + readBytes(fd, upTo: wholeFileLimit, path: path), path: path)
        }
        guard head.count >= 2, head[0] == UInt8(ascii: "P"), [2, 3, 5, 6].contains(head[1] &- 0x30) else {
            throw ImageError(.unknownFormat(found: Array(head.prefix(4))), path: path)
        }
        guard Int(info.st_size) <= wholeFileLimit else {
            throw ImageError(.malformedPNM("file is \(info.st_size) bytes; expected at most \(wholeFileLimit)"), path: path)
        }
        let rest = try readBytes(fd, upTo: wholeFileLimit, path: path)
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

    private static func readBytes(_ fd: Int32, upTo limit: Int, path: String) throws(ImageError) -> [UInt8] {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: min(limit, 1 << 16))
        while bytes.count < limit {
            let wanted = min(buffer.count, limit - bytes.count)
            let count = buffer.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, wanted) }
            if count < 0 {
                if errno == EINTR { continue }
                throw ImageError(.cannotOpen(errno: errno), path: path)
            }
            if count == 0 { break }
            bytes.append(contentsOf: buffer[0..<count])
        }
        return bytes
    }

    /// `read(2)`; named apart because `ImageFile.read` hides it.
    private static func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.read(fd, buffer, count)
        #else
        Darwin.read(fd, buffer, count)
        #endif
    }
}
