import Glibc

/// An open POSIX file descriptor, and the project's one layer of file system
/// calls: every `open`, `read`, `write`, `fstat` and `close` of the library is
/// made here, each retried on `EINTR` and each failure thrown as an ``Errno``.
///
/// The layers above turn the `Errno` into their own error, naming the file and
/// what they were doing (`DataError`, `WeightsError`, `ImageError`,
/// ``FileWriteError``). Modelled on swift-system's `FileDescriptor` and its
/// `valueOrErrno`. Linux only, as the README says: the calls are Glibc's.
///
/// A plain value, not a resource owner: whoever opens one closes it (`close()`,
/// usually in a `defer` or a `deinit`).
public struct FileDescriptor: Sendable, Equatable {
    public let rawValue: Int32

    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// File descriptor 2.
    public static let standardError = FileDescriptor(rawValue: STDERR_FILENO)

    /// How to open a file: read it, or write it from the start (created,
    /// truncated) or at its end (created, appended to).
    public enum Mode: Sendable {
        case read, truncate, append

        var flags: Int32 {
            switch self {
            case .read: O_RDONLY | O_CLOEXEC
            case .truncate: O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC
            case .append: O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC
            }
        }
    }

    /// `open(2)`; a file it creates gets `permissions` (less the umask).
    public static func open(_ path: String, _ mode: Mode, permissions: mode_t = 0o644) throws(Errno) -> FileDescriptor {
        FileDescriptor(rawValue: try retryingInterrupts { Glibc.open(path, mode.flags, permissions) })
    }

    /// `close(2)`. A failing close can mean written data never reached the
    /// disk (NFS, a full quota), so writers check it; it is not retried, since
    /// on Linux the descriptor is gone either way.
    public func close() throws(Errno) {
        guard Glibc.close(rawValue) == 0 else { throw Errno.current }
    }

    /// One `read(2)` into `buffer`: the count read, 0 at end of file.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(Errno) -> Int {
        try retryingInterrupts { Glibc.read(rawValue, buffer.baseAddress, buffer.count) }
    }

    /// Reads until `buffer` is full or the file ends: the count read.
    public func read(filling buffer: UnsafeMutableRawBufferPointer) throws(Errno) -> Int {
        var done = 0
        while done < buffer.count {
            let count = try read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[done...]))
            if count == 0 { break }
            done += count
        }
        return done
    }

    /// Reads up to `limit` bytes, fewer if the file ends first, straight into
    /// the array's storage (no zero fill). The storage starts at `capacity`
    /// bytes and doubles as needed: a caller that knows the size from
    /// `status()` passes it and gets one allocation and no copy.
    public func readAll(upTo limit: Int, capacity: Int = 1 << 16) throws(Errno) -> [UInt8] {
        var bytes: [UInt8] = []
        var capacity = min(limit, capacity)
        var failure: Errno?
        while true {
            var ended = false
            bytes = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, filled in
                filled = bytes.count
                _ = UnsafeMutableBufferPointer(rebasing: buffer[..<filled]).initialize(from: bytes)
                let rest = UnsafeMutableRawBufferPointer(UnsafeMutableBufferPointer(rebasing: buffer[filled...]))
                do throws(Errno) { filled += try read(filling: rest) } catch { failure = error }
                ended = filled < buffer.count
            }
            if let failure { throw failure }
            if ended || capacity == limit { return bytes }
            capacity = min(limit, 2 * capacity)
        }
    }

    /// `write(2)` until every byte of `bytes` is written.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(Errno) {
        var done = 0
        while done < bytes.count {
            done += try retryingInterrupts { Glibc.write(rawValue, bytes.baseAddress! + done, bytes.count - done) }
        }
    }

    /// `write(2)` until every byte of `bytes` is written.
    public func write(_ bytes: [UInt8]) throws(Errno) {
        let failure = bytes.withUnsafeBytes { raw -> Errno? in
            do throws(Errno) { try write(raw); return nil } catch { return error }
        }
        if let failure { throw failure }
    }

    /// What `fstat(2)` says about the open file.
    public func status() throws(Errno) -> FileStatus {
        var info = stat()
        _ = try retryingInterrupts { fstat(rawValue, &info) }
        return FileStatus(info)
    }

    /// Whether the descriptor is a terminal (`isatty`).
    public var isTerminal: Bool { isatty(rawValue) == 1 }
}

/// The type and size of a file, from `stat(2)`/`fstat(2)`.
public struct FileStatus: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case regular, directory, other }

    public let kind: Kind
    /// Bytes, for a regular file; whatever `st_size` holds otherwise.
    public let size: Int

    init(_ info: stat) {
        let type = info.st_mode & S_IFMT
        kind = type == S_IFREG ? .regular : type == S_IFDIR ? .directory : .other
        size = Int(info.st_size)
    }

    /// `stat(2)` of `path`, following links; nil when it does not exist or cannot be reached.
    public init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        self.init(info)
    }
}

extension FileDescriptor {
    /// `path` exists and is not a directory (following links).
    public static func isFile(_ path: String) -> Bool {
        FileStatus(path: path).map { $0.kind != .directory } ?? false
    }

    /// `rename(2)`: replaces `target` in one step.
    public static func rename(_ source: String, to target: String) throws(Errno) {
        guard Glibc.rename(source, target) == 0 else { throw Errno.current }
    }

    /// `unlink(2)`, for output of a run that failed; a failure is ignored (the
    /// error being reported already says what went wrong).
    public static func remove(_ path: String) {
        _ = unlink(path)
    }
}

/// Calls `body` until it does not fail with `EINTR`: its non-negative result,
/// or the `Errno` it failed with. The one `EINTR` loop of the project.
@inline(__always)
func retryingInterrupts<Result: BinaryInteger>(_ body: () -> Result) throws(Errno) -> Result {
    while true {
        let result = body()
        if result >= 0 { return result }
        let code = errno
        if code != EINTR { throw Errno(code) }
    }
}
