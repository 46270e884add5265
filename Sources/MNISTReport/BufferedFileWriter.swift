#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes bytes to a file through a fixed 64 KiB buffer.
///
/// The predictions CSV has a row per image; for a million images that is
/// about 20 MB of text. Appending rows to a buffer that is flushed whenever it
/// fills keeps memory flat and makes one `write(2)` per 64 KiB instead of one
/// per row, without ever building the whole file as a `String`.
/// The buffer is a raw allocation rather than an `[UInt8]` because appending
/// a byte at a time to an array costs a uniqueness and capacity check per
/// byte (measured in a debug build, test input included: a million rows took
/// 12 s with an array, 3.3 s with this buffer); all pointer code of the
/// report module stays in this type.
/// Every system call is checked and turned into a `ReportFileError` naming
/// the path.
final class BufferedFileWriter {
    let path: String
    private var descriptor: Int32
    private let buffer: UnsafeMutablePointer<UInt8>
    private var count = 0
    private static let capacity = 1 << 16

    /// Creates or truncates the file at `path`; with `appending`, creates it
    /// or writes after what it holds.
    init(path: String, appending: Bool = false) throws(ReportFileError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | (appending ? O_APPEND : O_TRUNC) | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw ReportFileError(kind: .open, path: path, code: errno) }
        self.path = path
        self.descriptor = descriptor
        self.buffer = .allocate(capacity: Self.capacity)
    }

    deinit {
        // The descriptor is still open only when `finish()` was not reached,
        // i.e. on an error path; the error being thrown already says why.
        if descriptor >= 0 { _ = close(descriptor) }
        buffer.deallocate()
    }

    func append(_ text: String) throws(ReportFileError) {
        for byte in text.utf8 { try append(byte: byte) }
    }

    @inline(__always)
    func append(byte: UInt8) throws(ReportFileError) {
        if count == Self.capacity { try flush() }
        buffer[count] = byte
        count += 1
    }

    /// Appends the decimal digits of a non-negative integer without going
    /// through `String`, which matters at a million rows.
    func append(decimal value: Int) throws(ReportFileError) {
        precondition(value >= 0, "append(decimal:) takes non-negative values")
        if count > Self.capacity - 20 { try flush() }  // Int.max has 19 digits.
        var end = count
        var rest = value
        repeat {
            buffer[end] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
            rest /= 10
            end += 1
        } while rest > 0
        var digits = UnsafeMutableBufferPointer(start: buffer + count, count: end - count)
        digits.reverse()
        count = end
    }

    /// Writes out what is buffered, retrying short writes and interrupts.
    func flush() throws(ReportFileError) {
        var written = 0
        while written < count {
            let result = write(descriptor, buffer + written, count - written)
            if result < 0 {
                if errno == EINTR { continue }
                throw ReportFileError(kind: .write, path: path, code: errno)
            }
            written += result
        }
        count = 0
    }

    /// Flushes and closes; a failing `close` can mean the data never reached
    /// the disk (NFS, full quota), so it is reported too.
    func finish() throws(ReportFileError) {
        try flush()
        let result = close(descriptor)
        descriptor = -1
        guard result == 0 else { throw ReportFileError(kind: .close, path: path, code: errno) }
    }

    /// Closes and removes the file: for output of a run that failed, which
    /// must not be left behind looking like a result.
    func discard() {
        if descriptor >= 0 { _ = close(descriptor) }
        descriptor = -1
        _ = unlink(path)
    }
}

/// Whole reports written to files (`--junit`, `--summary`).
public enum ReportFile {
    /// Creates or replaces the file at `path` with `text`.
    /// - Throws: `ReportFileError` naming `path`.
    public static func write(_ text: String, to path: String) throws(ReportFileError) {
        let file = try BufferedFileWriter(path: path)
        try file.append(text)
        try file.finish()
    }

    /// Appends `text` to the file at `path`, creating it if needed (as
    /// `$GITHUB_STEP_SUMMARY` expects: other steps' text stays).
    /// - Throws: `ReportFileError` naming `path`.
    public static func append(_ text: String, to path: String) throws(ReportFileError) {
        let file = try BufferedFileWriter(path: path, appending: true)
        try file.append(text)
        try file.finish()
    }
}
