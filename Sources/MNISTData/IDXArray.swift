/// A whole IDX file of any element type and any number of dimensions, in
/// memory. For MNIST images prefer `IDXImageReader` (streaming) or
/// `LabeledImages`; this is the general reader, for tools and tests.
public struct IDXArray: Sendable {
    public let header: IDXHeader
    /// `header.elementCount` elements, row-major (last dimension fastest).
    public let elements: IDXElements

    /// Reads and decodes an IDX file (gzip or raw).
    /// - Throws: `DataError` for any unreadable or malformed file, including
    ///   `idxTruncated` (found without allocating the declared size) and
    ///   `idxTrailingData`.
    public static func read(path: String) throws -> IDXArray {
        let source = try IDXSource(path: path)
        let bytes = try source.readAllData()
        return IDXArray(header: source.header, elements: decode(bytes, as: source.header.elementType))
    }

    static func decode(_ bytes: [UInt8], as type: IDXElementType) -> IDXElements {
        switch type {
        case .uint8: return .uint8(bytes)
        case .int8: return .int8(bytes.map { Int8(bitPattern: $0) })
        case .int16: return .int16(decodeBigEndian(bytes))
        case .int32: return .int32(decodeBigEndian(bytes))
        case .float32: return .float32(decodeBigEndian(bytes).map { (bits: UInt32) in Float(bitPattern: bits) })
        case .float64: return .float64(decodeBigEndian(bytes).map { (bits: UInt64) in Double(bitPattern: bits) })
        }
    }

    /// Big-endian words to native integers, one unaligned load each.
    private static func decodeBigEndian<Word: FixedWidthInteger>(_ bytes: [UInt8]) -> [Word] {
        let width = MemoryLayout<Word>.size
        precondition(bytes.count % width == 0, "data size is a whole number of elements")
        let count = bytes.count / width
        return bytes.withUnsafeBytes { raw in
            [Word](unsafeUninitializedCapacity: count) { words, initialized in
                for index in 0..<count {
                    words[index] = Word(bigEndian: raw.loadUnaligned(fromByteOffset: index * width, as: Word.self))
                }
                initialized = count
            }
        }
    }
}
