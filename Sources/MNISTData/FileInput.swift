#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The file side of a `DecompressedStream`: one POSIX descriptor and one
/// chunk buffer, with every libc call of the data layer behind it.
///
/// The buffer holds `buffer[start..<end]` not yet consumed. zlib reads the
/// compressed input straight out of it (`unconsumed`), so a chunk is read
/// once and never copied; raw files bypass it except for the peeked bytes.
/// Not `Sendable`: one owner, one thread at a time.
final class FileInput {
    let path: String
    /// The size `fstat` reported for a regular file; `nil` for pipes and devices.
    let regularFileSize: UInt64?
    private let descriptor: Int32
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
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw DataError(.cannotOpen(errno: errno), path: path) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let code = errno
            close(descriptor)
            throw DataError(.cannotOpen(errno: code), path: path)
        }
        let type = status.st_mode & S_IFMT
        if type == S_IFDIR {
            close(descriptor)
            throw DataError(.isDirectory, path: path)
        }
        if type == S_IFREG && status.st_size == 0 {
            close(descriptor)
            throw DataError(.emptyFile, path: path, offset: 0)
        }
        self.descriptor = descriptor
        self.regularFileSize = type == S_IFREG ? UInt64(status.st_size) : nil
        self.buffer = .allocate(byteCount: chunkSize, alignment: 16)
    }

    deinit {
        close(descriptor)
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

    /// `path` exists and is not a directory (following links).
    static func isFile(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && status.st_mode & S_IFMT != S_IFDIR
    }

    /// One `read(2)`, retried on EINTR.
    private func readSome(into target: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let count = read(descriptor, target.baseAddress, target.count)
            if count >= 0 { return count }
            if errno != EINTR {
                throw DataError(.readFailed(errno: errno), path: path, offset: bufferFileOffset + UInt64(end))
            }
        }
    }
}
