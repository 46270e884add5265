import MNISTPlumbing

/// The one error type for reading and writing pictures (PNG, JPEG, PGM/PPM).
///
/// Tests compare `kind`; the message is written here once, in the project's
/// form `<path>: [byte <offset>: ]<problem>; expected <x>, found <y>`, so that `mnist-eval` and
/// `mnist-predict` can print it after `error: ` as is.
public struct ImageError: FileError, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Equatable, Sendable {
        /// `open` failed; the value is `errno` (ENOENT, EACCES, ...).
        case cannotOpen(errno: Int32)
        /// The path names a directory.
        case isDirectory
        /// The file has no bytes.
        case emptyFile
        /// Neither the PNG nor the JPEG signature, nor a PNM magic (`P2`, `P3`, `P5`, `P6`).
        case unknownFormat(found: [UInt8])
        /// libpng rejected the file (bad CRC, truncated data, bad header, ...);
        /// the value is libpng's message.
        case malformedPNG(String)
        /// libjpeg rejected the file (bad marker, damaged or cut-short data,
        /// an unsupported colour space, ...); the value is libjpeg's message or
        /// says what.
        case malformedJPEG(String)
        /// A PGM/PPM header or sample that does not parse; the value says what.
        case malformedPNM(String)
        /// The PGM/PPM data ends before `expected` samples were read.
        case truncatedPNM(expectedSamples: Int, foundSamples: Int)
        /// A zero width or height.
        case zeroSize(width: Int, height: Int)
        /// Wider or taller than `limit`: refused before allocating the pixels.
        case tooLarge(width: Int, height: Int, limit: Int)
        /// Out of memory while decoding.
        case outOfMemory
        /// Writing failed; the value is `errno`.
        case writeFailed(errno: Int32)
    }

    public let kind: Kind
    public let path: String
    /// Where in the file the problem was found, when the reader knows (JPEG:
    /// how far libjpeg had read, a few bytes past the fault inside compressed data).
    public let offset: Int?

    public init(_ kind: Kind, path: String, offset: Int? = nil) {
        self.kind = kind
        self.path = path
        self.offset = offset
    }

    /// The largest width or height read: 8192 pixels a side is far beyond any
    /// photo of one digit, and keeps a lying header from costing more than
    /// 64 Mpixels.
    public static let maxDimension = 8192

    /// `true` when the file could not be opened or written (exit 66), `false`
    /// when it was read and is not a valid image (exit 65).
    public var isUnreadableFile: Bool {
        switch kind {
        case .cannotOpen, .isDirectory, .writeFailed: return true
        default: return false
        }
    }

    public var description: String {
        let (problem, expected, found) = parts
        var text = "\(path): " + (offset.map { "byte \($0): " } ?? "") + problem
        if let expected { text += "; expected \(expected)" }
        if let found { text += ", found \(found)" }
        return text
    }

    private var parts: (String, String?, String?) {
        let image = "a PNG, JPEG, PGM or PPM image"
        switch kind {
        case .cannotOpen(let code): return ("cannot open: \(Errno(code))", nil, nil)
        case .isDirectory: return ("is a directory", image, nil)
        case .emptyFile: return ("empty file", image, "0 bytes")
        case .unknownFormat(let found):
            return ("not an image", "a PNG (89 50 4e 47), JPEG (ff d8 ff) or PGM/PPM (P2, P3, P5, P6) signature",
                    found.isEmpty ? "no bytes" : found.map { Self.hex($0) }.joined(separator: " "))
        case .malformedPNG(let message): return ("malformed PNG: \(message)", nil, nil)
        case .malformedJPEG(let message): return ("malformed JPEG: \(message)", nil, nil)
        case .malformedPNM(let message): return ("malformed PGM/PPM: \(message)", nil, nil)
        case .truncatedPNM(let expected, let found): return ("truncated PGM/PPM data", "\(expected) samples", "\(found)")
        case .zeroSize(let width, let height): return ("image has no pixels", "a width and height of at least 1", "\(width)×\(height)")
        case .tooLarge(let width, let height, let limit):
            return ("image too large", "at most \(limit)×\(limit) pixels", "\(width)×\(height)")
        case .outOfMemory: return ("out of memory while decoding", nil, nil)
        case .writeFailed(let code): return ("cannot write: \(Errno(code))", nil, nil)
        }
    }

    private static func hex(_ byte: UInt8) -> String {
        (byte < 16 ? "0" : "") + String(byte, radix: 16)
    }
}
