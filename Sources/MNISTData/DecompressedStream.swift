/// The bytes of a file, decompressed when it is gzip, read in order.
///
/// Gzip is recognised by content (the magic `1f 8b`), never by file name, so
/// a raw IDX file named `.gz` or a gzip file without the suffix both read
/// correctly. Input is read in chunks of `chunkSize` bytes and inflated
/// straight into the caller's buffer: memory stays constant whatever the
/// file size, and no byte passes through a Swift loop or an extra copy.
///
/// Not `Sendable`: used by one thread at a time.
public final class DecompressedStream {
    public let path: String
    /// The file starts with the gzip magic `1f 8b`.
    public let isGzip: Bool
    /// Decompressed bytes delivered so far (file bytes for a raw file).
    public private(set) var decompressedOffset: UInt64 = 0

    private let input: FileInput
    private let inflater: GzipInflater?
    private var ended = false

    /// Opens `path` and peeks its first bytes to choose gzip or raw.
    /// `chunkSize` (at least 16) is the compressed input read per `read(2)`;
    /// 64 KiB amortises the system call without leaving the L2 cache.
    /// - Throws: `DataError` (`cannotOpen`, `isDirectory`, `emptyFile`, `readFailed`).
    public init(path: String, chunkSize: Int = 1 << 16) throws {
        self.path = path
        input = try FileInput(path: path, chunkSize: chunkSize)
        let peeked = try input.fill(atLeast: 2)
        if peeked == 0 { throw DataError(.emptyFile, path: path, offset: 0) }
        isGzip = peeked >= 2 && input.unconsumed[0] == 0x1f && input.unconsumed[1] == 0x8b
        inflater = isGzip ? try GzipInflater(path: path) : nil
    }

    /// Fills `buffer` with the next decompressed bytes. Returns fewer than
    /// `buffer.count` only at the end of the data, and 0 only once the end is
    /// verified (every gzip trailer checked, nothing after the last member).
    /// - Throws: `DataError` for read failures and malformed gzip data.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard !ended, buffer.count > 0 else { return 0 }
        let count: Int
        if let inflater {
            count = try inflater.read(from: input, into: buffer)
        } else {
            count = try input.readDirect(into: buffer)
        }
        if count < buffer.count { ended = true }
        decompressedOffset += UInt64(count)
        return count
    }

    /// The file size for a regular file; `nil` for pipes and devices.
    var regularFileSize: UInt64? { input.regularFileSize }
}
