import MNISTPlumbing

/// The file side of a `DecompressedStream`: one descriptor (the plumbing's
/// `FileDescriptor`, whose calls retry `EINTR`) and one chunk buffer.
///
/// The buffer holds `buffer[start..<end]` not yet consumed. zlib reads the
/// compressed input straight out of it (`unconsumed`), so a chunk is read
/// once and never copied; raw files bypass it except for the peeked bytes.
/// Not `Sendable`: one owner, one thread at a time.
final class FileInput {
    let path: String
    /// The size `fstat` reported for a regular file; `nil` for pipes and devices.
    let regularFileSize: UInt64?
    private let descriptor: FileDescriptor
    private let buffer: UnsafeMutableRawBufferPointer
    private var start = 0
    private var end = 0
    /// File offset of `buffer[0]`.
    private var bufferFileOffset: UInt64 = 0
    /// `read(2)` has returned 0.
    private(set) var atEndOfFile = false

    init(path: String, chunkSize: Int) throws {
        precondition(chunkSize >= 16, "chunkSize must hold at least a gzip header's fixed part")
        self.path = path
        let descriptor: FileDescriptor, status: FileStatus
        do {
            descriptor = try FileDescriptor.open(path, .read)
        } catch {
            throw DataError(.cannotOpen(errno: error.rawValue), path: path)
        }
        do {
            status = try descriptor.status()
        } catch {
            try? descriptor.close()
            throw DataError(.cannotOpen(errno: error.rawValue), path: path)
        }
        if status.kind == .directory {
            try? descriptor.close()
            throw DataError(.isDirectory, path: path)
        }
        if status.kind == .regular && status.size == 0 {
            try? descriptor.close()
            throw DataError(.emptyFile, path: path, offset: 0)
        }
        self.descriptor = descriptor
        self.regularFileSize = status.kind == .regular ? UInt64(status.size) : nil
        self.buffer = .allocate(byteCount: chunkSize, alignment: 16)
    }

    deinit {
        try? descriptor.close()
        buffer.deallocate()
    }

    /// Bytes read but not yet consumed.
    var available: Int { end - start }

    /// File offset of the first unconsumed byte.
    var consumedOffset: UInt64 { bufferFileOffset + UInt64(start) }

    /// The unconsumed bytes; valid until the next `fill` or `consume`.
    var unconsumed: UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(rebasing: buffer[start..<end])
    }

    /// The last eight bytes consumed, little-endian (the latest in the high
    /// byte): once zlib ends a gzip member, its trailer, however buffer
    /// refills split it.
    private(set) var lastConsumed: UInt64 = 0

    func consume(_ count: Int) {
        precondition(count >= 0 && count <= available, "consumed more than was read")
        for byte in buffer[(start + count - min(count, 8))..<(start + count)] {
            lastConsumed = lastConsumed >> 8 | UInt64(byte) << 56
        }
        start += count
    }

    /// Makes at least `minimum` bytes available unless the file ends first;
    /// moves the unconsumed tail to the front when the buffer needs room.
    /// Returns `available`.
    @discardableResult
    func fill(atLeast minimum: Int) throws -> Int {
        precondition(minimum <= buffer.count, "cannot buffer more than one chunk")
        while available < minimum && !atEndOfFile {
            if start > 0 && (end == buffer.count || buffer.count - start < minimum) {
                let kept = available
                if kept > 0 {
                    buffer.baseAddress!.copyMemory(from: buffer.baseAddress! + start, byteCount: kept)
                }
                bufferFileOffset += UInt64(start)
                start = 0
                end = kept
            }
            let count = try readSome(into: UnsafeMutableRawBufferPointer(rebasing: buffer[end...]))
            if count == 0 { atEndOfFile = true } else { end += count }
        }
        return available
    }

    /// Fills `target` with the buffered bytes first, then straight from the
    /// descriptor; returns fewer than `target.count` only at end of file.
    func readDirect(into target: UnsafeMutableRawBufferPointer) throws -> Int {
        var done = min(available, target.count)
        if done > 0 {
            target.baseAddress!.copyMemory(from: buffer.baseAddress! + start, byteCount: done)
            start += done
        }
        while done < target.count && !atEndOfFile {
            let count = try readSome(into: UnsafeMutableRawBufferPointer(rebasing: target[done...]))
            if count == 0 { atEndOfFile = true }
            done += count
            bufferFileOffset += UInt64(count)
        }
        return done
    }

    /// One `read(2)`; a failure is a `DataError` at the offset it was reading.
    private func readSome(into target: UnsafeMutableRawBufferPointer) throws -> Int {
        do {
            return try descriptor.read(into: target)
        } catch {
            throw DataError(.readFailed(errno: error.rawValue), path: path, offset: bufferFileOffset + UInt64(end))
        }
    }
}
