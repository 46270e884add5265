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
/// Every system call is ``FileDescriptor``'s, and its failure a
/// ``FileWriteError`` naming the path.
public final class BufferedFileWriter {
    public let path: String
    /// Open until `finish()` or `discard()`.
    private var descriptor: FileDescriptor?
    @usableFromInline let buffer: UnsafeMutablePointer<UInt8>
    @usableFromInline var count = 0
    @usableFromInline static let capacity = 1 << 16

    /// Creates or truncates the file at `path`; with `appending`, creates it
    /// or writes after what it holds.
    public init(path: String, appending: Bool = false) throws(FileWriteError) {
        do {
            descriptor = try FileDescriptor.open(path, appending ? .append : .truncate)
        } catch {
            throw FileWriteError(kind: .open, path: path, code: error.rawValue)
        }
        self.path = path
        self.buffer = .allocate(capacity: Self.capacity)
    }

    deinit {
        // The descriptor is still open only when `finish()` was not reached,
        // i.e. on an error path; the error being thrown already says why.
        try? descriptor?.close()
        buffer.deallocate()
    }

    public func append(_ text: String) throws(FileWriteError) {
        for byte in text.utf8 { try append(byte: byte) }
    }

    /// Inlined into the callers' loops (a CSV row is written byte by byte).
    @inlinable
    public func append(byte: UInt8) throws(FileWriteError) {
        if count == Self.capacity { try flush() }
        buffer[count] = byte
        count += 1
    }

    /// Appends the decimal digits of a non-negative integer without going
    /// through `String`, which matters at a million rows.
    public func append(decimal value: Int) throws(FileWriteError) {
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
    public func flush() throws(FileWriteError) {
        guard count > 0, let descriptor else { return }
        do {
            try descriptor.write(UnsafeRawBufferPointer(start: buffer, count: count))
        } catch {
            throw FileWriteError(kind: .write, path: path, code: error.rawValue)
        }
        count = 0
    }

    /// Flushes and closes; a failing `close` can mean the data never reached
    /// the disk (NFS, full quota), so it is reported too.
    public func finish() throws(FileWriteError) {
        try flush()
        let closing = descriptor
        descriptor = nil
        do {
            try closing?.close()
        } catch {
            throw FileWriteError(kind: .close, path: path, code: error.rawValue)
        }
    }

    /// Closes and removes the file: for output of a run that failed, which
    /// must not be left behind looking like a result.
    public func discard() {
        try? descriptor?.close()
        descriptor = nil
        FileDescriptor.remove(path)
    }
}

/// Whole text files written at once (`--junit`, `--summary`).
public enum TextFile {
    /// Creates or replaces the file at `path` with `text`.
    /// - Throws: `FileWriteError` naming `path`.
    public static func write(_ text: String, to path: String) throws(FileWriteError) {
        let file = try BufferedFileWriter(path: path)
        try file.append(text)
        try file.finish()
    }

    /// Appends `text` to the file at `path`, creating it if needed (as
    /// `$GITHUB_STEP_SUMMARY` expects: other steps' text stays).
    /// - Throws: `FileWriteError` naming `path`.
    public static func append(_ text: String, to path: String) throws(FileWriteError) {
        let file = try BufferedFileWriter(path: path, appending: true)
        try file.append(text)
        try file.finish()
    }
}
