/// An open IDX file: the header parsed and validated, the data read in order.
///
/// Every IDX reader of the module (`IDXArray`, `LabelSet`, `IDXImageReader`,
/// `LabeledImages`) goes through this type, so the header rules, the
/// truncation and trailing-data checks and their offsets exist once.
/// Offsets count decompressed bytes for a gzip file and file bytes for a raw
/// one; for a raw file the two are the same number.
final class IDXSource {
    let stream: DecompressedStream
    let header: IDXHeader
    /// Data bytes (after the header) read so far.
    private(set) var dataBytesRead = 0
    /// A raw file's size is compared with the header before the first data
    /// read, not at open, so that the MNIST shape checks speak first.
    private var sizeChecked = false

    var path: String { stream.path }

    init(path: String) throws {
        stream = try DecompressedStream(path: path)
        header = try Self.parseHeader(stream)
    }

    /// An error at `offset` (by default, where reading stands).
    func error(_ kind: DataError.Kind, at offset: UInt64? = nil) -> DataError {
        Self.error(kind, stream, at: offset ?? stream.decompressedOffset)
    }

    private static func error(_ kind: DataError.Kind, _ stream: DecompressedStream, at offset: UInt64) -> DataError {
        DataError(kind, path: stream.path, offset: offset, inDecompressedData: stream.isGzip)
    }

    /// Reads exactly `target.count` data bytes.
    /// - Throws: `idxTruncated` when the data ends first.
    func readData(into target: UnsafeMutableRawBufferPointer) throws {
        precondition(dataBytesRead + target.count <= header.dataByteCount, "read past the declared data")
        try checkSizeOnce()
        let count = try stream.read(into: target)
        dataBytesRead += count
        if count < target.count {
            throw error(.idxTruncated(expectedBytes: header.dataByteCount, foundBytes: dataBytesRead))
        }
    }

    private func checkSizeOnce() throws {
        guard !sizeChecked else { return }
        try Self.checkRawFileSize(stream, header)
        sizeChecked = true
    }

    /// After the declared data: nothing may follow, and a gzip stream must
    /// end cleanly (its trailers verified).
    func verifyEnd() throws {
        precondition(dataBytesRead == header.dataByteCount, "verifyEnd before the data was read")
        var extra: UInt8 = 0
        let count = try withUnsafeMutableBytes(of: &extra) { try stream.read(into: $0) }
        if count > 0 { throw error(.idxTrailingData, at: stream.decompressedOffset - 1) }
    }

    /// Reads all the (remaining) data, then verifies the end.
    ///
    /// The declared size is not trusted for allocation: a header declaring
    /// 2^31 images in a 100-byte file must fail without allocating 1.6 GB.
    /// When the file can hold the declared size (a raw file was checked
    /// against it; deflate expands at most 1032:1) the array is allocated
    /// once and filled in place. Otherwise the header lies or the size is
    /// unknown (a pipe): the buffer grows from 1 MiB as data arrives.
    func readAllData() throws -> [UInt8] {
        try checkSizeOnce()
        let total = header.dataByteCount - dataBytesRead
        let bytes: [UInt8]
        if total <= largestPlausibleData {
            bytes = try [UInt8](unsafeUninitializedCapacity: total) { buffer, count in
                try readData(into: UnsafeMutableRawBufferPointer(buffer))
                count = total
            }
        } else {
            bytes = try readGrowing(total)
        }
        try verifyEnd()
        return bytes
    }

    /// Deflate's largest expansion: 258 bytes from a 2-bit code, about 1032:1.
    private static let deflateMaximumRatio: UInt64 = 1032

    /// The most data bytes this file could hold.
    private var largestPlausibleData: Int {
        guard let size = stream.regularFileSize else { return 1 << 20 }
        guard stream.isGzip else { return header.dataByteCount }  // checked on the first read
        let (bound, overflow) = size.multipliedReportingOverflow(by: Self.deflateMaximumRatio)
        return overflow || bound > UInt64(Int.max) ? Int.max : Int(bound)
    }

    /// Reads `total` bytes into a buffer that doubles as data arrives, so a
    /// lying header fails with `idxTruncated` having allocated about what the
    /// file really holds.
    private func readGrowing(_ total: Int) throws -> [UInt8] {
        var capacity = min(total, 1 << 20)
        var storage = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
        defer { storage.deallocate() }
        var filled = 0
        while true {
            try readData(into: UnsafeMutableRawBufferPointer(rebasing: storage[filled..<capacity]))
            filled = capacity
            if filled == total { break }
            capacity = min(total, capacity * 2)
            let larger = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
            larger.copyMemory(from: UnsafeRawBufferPointer(rebasing: storage[..<filled]))
            storage.deallocate()
            storage = larger
        }
        return [UInt8](UnsafeRawBufferPointer(storage))
    }

    // MARK: Header

    private static func parseHeader(_ stream: DecompressedStream) throws -> IDXHeader {
        var magic: [UInt8] = [0, 0, 0, 0]
        let count = try magic.withUnsafeMutableBytes { try stream.read(into: $0) }
        let leading = magic.prefix(min(count, 2))
        if leading.contains(where: { $0 != 0 }) {
            let kind: DataError.Kind = stream.isGzip
                ? .idxBadMagic(found: Array(leading))
                : .unknownFormat(found: Array(magic.prefix(count)))
            throw error(kind, stream, at: 0)
        }
        if count < 4 {
            throw error(.idxHeaderTruncated(expectedBytes: 4, foundBytes: count), stream, at: UInt64(count))
        }
        guard let type = IDXElementType(rawValue: magic[2]) else {
            throw error(.idxUnknownElementType(magic[2]), stream, at: 2)
        }
        let rank = Int(magic[3])
        guard rank > 0 else { throw error(.idxZeroDimensions, stream, at: 3) }

        var sizes = [UInt8](repeating: 0, count: 4 * rank)
        let sizeBytes = try sizes.withUnsafeMutableBytes { try stream.read(into: $0) }
        if sizeBytes < sizes.count {
            throw error(.idxHeaderTruncated(expectedBytes: 4 + sizes.count, foundBytes: 4 + sizeBytes), stream,
                        at: UInt64(4 + sizeBytes))
        }
        let dimensions = sizes.withUnsafeBytes { raw in
            (0..<rank).map { Int(UInt32(bigEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) }
        }
        guard let header = IDXHeader(elementType: type, dimensions: dimensions) else {
            throw error(.idxSizeOverflow(dimensions: dimensions, elementType: type), stream, at: 4)
        }
        return header
    }

    /// A raw regular file's size is known before reading: compare it with the
    /// header now, so that a lying header fails at once.
    private static func checkRawFileSize(_ stream: DecompressedStream, _ header: IDXHeader) throws {
        guard !stream.isGzip, let size = stream.regularFileSize else { return }
        // The header was read, so the file held it; a size below it means the
        // file grew after fstat (it changes while read): no underflow trap.
        let present = size.subtractingReportingOverflow(UInt64(header.headerByteCount)).overflow
            ? 0 : size - UInt64(header.headerByteCount)
        let declared = UInt64(header.dataByteCount)
        if present < declared {
            throw error(.idxTruncated(expectedBytes: header.dataByteCount, foundBytes: Int(present)), stream, at: size)
        }
        if present > declared {
            throw error(.idxTrailingData, stream, at: UInt64(header.headerByteCount) + declared)
        }
    }
}
