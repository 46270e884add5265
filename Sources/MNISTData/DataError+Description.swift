import MNISTPlumbing

/// All message text of the data layer lives here, so that every error reads
/// the same way: `<path>: byte <offset>[ of the decompressed data]: <problem>;
/// expected <x>, found <y>`.
extension DataError {
    public var description: String {
        var text = path + ": "
        if let offset {
            text += "byte \(offset)" + (inDecompressedData ? " of the decompressed data" : "") + ": "
        }
        let message = kind.message
        text += message.problem
        if let expected = message.expected, let found = message.found {
            text += "; expected \(expected), found \(found)"
        } else if let expected = message.expected {
            text += "; expected \(expected)"
        }
        return text
    }
}

extension DataError.Kind {
    /// The parts of a message: what is wrong, and what was expected and found.
    var message: (problem: String, expected: String?, found: String?) {
        switch self {
        case .cannotOpen(let code):
            return ("cannot open: \(Errno(code))", nil, nil)
        case .isDirectory:
            return ("is a directory", "an MNIST IDX file (gzip or raw)", nil)
        case .readFailed(let code):
            return ("read failed: \(Errno(code))", nil, nil)
        case .emptyFile:
            return ("empty file", "an MNIST IDX file (gzip or raw)", "0 bytes")
        case .unknownFormat(let found):
            return ("unknown file format", "gzip magic 1f 8b or IDX magic 00 00 TT NN", Self.hex(found))
        case .gzipHeaderTruncated:
            return ("truncated gzip header", "the rest of the header", "end of file")
        case .gzipBadHeader(let zlibMessage):
            return ("bad gzip header: \(zlibMessage)", "a gzip header (RFC 1952)", nil)
        case .gzipCorrupt(let zlibMessage):
            return ("corrupt gzip data: \(zlibMessage)", "valid deflate data (RFC 1951)", nil)
        case .gzipTruncated:
            return ("truncated gzip data", "the rest of the deflate data and the 8-byte trailer", "end of file")
        case .gzipChecksumMismatch(let expected, let found):
            return ("gzip CRC-32 mismatch", Self.hex32(expected),
                    "\(Self.hex32(found)) computed from the data")
        case .gzipLengthMismatch(let expected, let found):
            return ("gzip length mismatch", "\(expected) bytes (ISIZE)",
                    "\(found) bytes (mod 2^32)")
        case .gzipTrailingGarbage(let found):
            return ("trailing garbage after gzip data", "end of file or another gzip member (1f 8b)",
                    Self.hex([found]))
        case .idxBadMagic(let found):
            return ("bad IDX magic", "00 00", Self.hex(found))
        case .idxUnknownElementType(let code):
            return ("unknown IDX element type", "one of 08 09 0b 0c 0d 0e", Self.hex([code]))
        case .idxZeroDimensions:
            return ("IDX header declares zero dimensions", "at least 1", "0")
        case .idxHeaderTruncated(let expected, let found):
            return ("truncated IDX header", "\(expected) header bytes", "\(found)")
        case .idxSizeOverflow(let dimensions, let type):
            return ("IDX data size overflows", "a size that fits in \(Int.bitWidth) bits",
                    Self.shape(type, dimensions) + " of \(type.byteWidth)-byte elements")
        case .idxTruncated(let expected, let found):
            return ("truncated IDX data", "\(expected) bytes of data", "\(found)")
        case .idxTrailingData:
            return ("trailing data after the IDX data", "end of data", "more bytes")
        case .notImages(let type, let dimensions):
            return ("not an MNIST images file", "a 3-D ubyte array N×28×28", Self.shape(type, dimensions))
        case .notLabels(let type, let dimensions):
            return ("not an MNIST labels file", "1-D ubyte labels N", Self.shape(type, dimensions))
        case .labelOutOfRange(let index, let value):
            return ("label \(index) out of range", "0...9", "\(value)")
        case .countMismatch(let images, let labels, let labelsPath):
            return ("image and label counts differ", "\(images) labels (one per image)",
                    "\(labels) in \(labelsPath)")
        case .compressionFailed(let code, let zlibMessage):
            return ("gzip compression failed (zlib \(code)): \(zlibMessage)", nil, nil)
        }
    }

    /// `a 3-D ubyte array 10000×28×28`.
    static func shape(_ type: IDXElementType, _ dimensions: [Int]) -> String {
        let sizes = dimensions.map(String.init).joined(separator: "×")
        return "a \(dimensions.count)-D \(type.name) array \(sizes)"
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.isEmpty ? "no bytes" : bytes.map { hexByte($0) }.joined(separator: " ")
    }

    static func hexByte(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16)
        return byte < 16 ? "0" + digits : digits
    }

    static func hex32(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }
}
