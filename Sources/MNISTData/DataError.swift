import MNISTPlumbing

/// The one error type of the data layer: every failure to read a gzip or IDX
/// file, from `open(2)` to a label out of range, is a `DataError`.
///
/// Tests compare `kind`; people read `description`, which is written in one
/// place (`DataError+Description.swift`) so that every message has the same
/// form: `<path>: byte <offset>: <problem>; expected <x>, found <y>`.
public struct DataError: FileError, Equatable, Sendable, CustomStringConvertible {
    /// What went wrong. Associated values carry the expected and found details
    /// that the message prints; tests compare them exactly.
    public enum Kind: Equatable, Sendable {
        // MARK: The file itself (unreadable: exit 66)
        /// `open(2)` failed; the value is `errno` (ENOENT, EACCES, ...).
        case cannotOpen(errno: Int32)
        /// The path names a directory.
        case isDirectory
        /// `read(2)` failed part way; the value is `errno`.
        case readFailed(errno: Int32)

        // MARK: Format detection
        /// The file has no bytes at all.
        case emptyFile
        /// A raw (not gzip) file whose first two bytes are neither the gzip
        /// magic `1f 8b` nor the IDX magic `00 00`. Inside gzip data the same
        /// problem is `idxBadMagic`: the file was recognised, its content was not.
        case unknownFormat(found: [UInt8])

        // MARK: Gzip (offsets count file bytes)
        /// The file ends inside a member's header.
        case gzipHeaderTruncated
        /// Unknown compression method, reserved flags set, or a header CRC
        /// (FHCRC) that does not match; the value is zlib's message.
        case gzipBadHeader(String)
        /// zlib found invalid deflate data (`Z_DATA_ERROR`); the value is its message.
        case gzipCorrupt(String)
        /// The file ends inside the deflate data or the trailer.
        case gzipTruncated
        /// The trailer's CRC-32 (`expected`) differs from the decompressed data's.
        case gzipChecksumMismatch(expected: UInt32, found: UInt32)
        /// The trailer's ISIZE (`expected`) differs from the decompressed length (mod 2^32).
        case gzipLengthMismatch(expected: UInt32, found: UInt32)
        /// Bytes after a member that do not start another member. GNU gzip
        /// ignores trailing zeros with a warning; we reject any garbage, since
        /// it means the file is not what its producer meant to write.
        case gzipTrailingGarbage(found: UInt8)

        // MARK: IDX (offsets count decompressed bytes when the file is gzip)
        /// The first two bytes of IDX data are not `00 00`.
        case idxBadMagic(found: [UInt8])
        /// The third byte names no IDX element type.
        case idxUnknownElementType(UInt8)
        /// The fourth byte declares zero dimensions.
        case idxZeroDimensions
        /// The data ends inside the header (magic plus dimensions).
        case idxHeaderTruncated(expectedBytes: Int, foundBytes: Int)
        /// The product of the dimensions and the element width overflows `Int`.
        case idxSizeOverflow(dimensions: [Int], elementType: IDXElementType)
        /// The data is shorter than the header declares.
        case idxTruncated(expectedBytes: Int, foundBytes: Int)
        /// Bytes follow the data the header declares.
        case idxTrailingData

        // MARK: MNIST meaning
        /// An images file must be a 3-D ubyte array N×28×28.
        case notImages(elementType: IDXElementType, dimensions: [Int])
        /// A labels file must be a 1-D ubyte array N.
        case notLabels(elementType: IDXElementType, dimensions: [Int])
        /// A label outside 0...9; `index` counts labels from 0.
        case labelOutOfRange(index: Int, value: UInt8)
        /// The images and labels files hold different counts.
        case countMismatch(images: Int, labels: Int, labelsPath: String)

        // MARK: Writing
        /// zlib's deflate failed (only out of memory in practice).
        case compressionFailed(code: Int32, message: String)
    }

    public let kind: Kind
    /// The file the error is about.
    public let path: String
    /// The byte offset where the problem was found, when one applies.
    public let offset: UInt64?
    /// `true` when `offset` counts decompressed bytes (the file was gzip and
    /// the problem is in its content); `false` when it counts file bytes.
    public let inDecompressedData: Bool

    public init(_ kind: Kind, path: String, offset: UInt64? = nil, inDecompressedData: Bool = false) {
        self.kind = kind
        self.path = path
        self.offset = offset
        self.inDecompressedData = inDecompressedData
    }

    /// `true` when the file could not be read at all (the CLI exits 66,
    /// `EX_NOINPUT`); `false` when it was read and its content is malformed
    /// (exit 65, `EX_DATAERR`).
    public var isUnreadableFile: Bool {
        switch kind {
        case .cannotOpen, .isDirectory, .readFailed: return true
        default: return false
        }
    }
}
