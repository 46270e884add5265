#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file reads for weights files (small: a 784-100-10 network is 318 KB),
/// with POSIX errors turned into `WeightsError`s that name the file.
enum FileBytes {
    /// Files above this are refused before allocating: no dense MNIST network needs it.
    static let sizeLimit = 1 << 30

    static func read(_ path: String) throws(WeightsError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw WeightsError(.cannotOpen(reason: errnoText()), path: path) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw WeightsError(.readFailed(reason: errnoText()), path: path) }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw WeightsError(.isDirectory, path: path) }
        let size = Int(info.st_size)
        guard size <= sizeLimit else {
            throw WeightsError(.invalidHeader("file is \(size) bytes; expected at most \(sizeLimit)"), path: path)
        }
        // Read straight into the array's storage: no zero-fill, no second copy.
        var failure: String?
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, filled in
            while filled < size {
                let count = Glibc.read(fd, buffer.baseAddress! + filled, size - filled)
                if count < 0 {
                    if errno == EINTR { continue }
                    failure = errnoText()
                    return
                }
                if count == 0 { return }  // the file shrank while we read it
                filled += count
            }
        }
        if let failure { throw WeightsError(.readFailed(reason: failure), path: path) }
        return bytes
    }

    static func write(_ bytes: [UInt8], to path: String) throws(WeightsError) {
        // Write to a temporary name and rename, so a crash never leaves half a weights file.
        let temporary = path + ".partial"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw WeightsError(.writeFailed(reason: errnoText()), path: path) }
        var written = 0
        let failure: String? = bytes.withUnsafeBytes { buffer in
            while written < buffer.count {
                let count = Glibc.write(fd, buffer.baseAddress! + written, buffer.count - written)
                if count < 0 {
                    if errno == EINTR { continue }
                    return errnoText()
                }
                written += count
            }
            return nil
        }
        let closed = close(fd) == 0
        if let failure { unlink(temporary); throw WeightsError(.writeFailed(reason: failure), path: path) }
        guard closed, rename(temporary, path) == 0 else {
            let reason = errnoText()
            unlink(temporary)
            throw WeightsError(.writeFailed(reason: reason), path: path)
        }
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }
}
