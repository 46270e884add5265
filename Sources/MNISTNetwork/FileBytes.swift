import MNISTPlumbing

/// Whole-file reads and writes for weights files (small: a 784-100-10 network
/// is 318 KB), through the plumbing's `FileDescriptor`, with its `Errno`s
/// turned into `WeightsError`s that name the file.
enum FileBytes {
    /// Files above this are refused before allocating: no dense MNIST network needs it.
    static let sizeLimit = 1 << 30

    static func read(_ path: String) throws(WeightsError) -> [UInt8] {
        let file: FileDescriptor
        do { file = try FileDescriptor.open(path, .read) } catch {
            throw WeightsError(.cannotOpen(reason: error.description), path: path)
        }
        defer { try? file.close() }
        let status: FileStatus
        do { status = try file.status() } catch { throw WeightsError(.readFailed(reason: error.description), path: path) }
        if status.kind == .directory { throw WeightsError(.isDirectory, path: path) }
        guard status.size <= sizeLimit else {
            throw WeightsError(.invalidHeader("file is \(status.size) bytes; expected at most \(sizeLimit)"), path: path)
        }
        // One allocation of the size fstat gave; fewer bytes if the file shrank while read.
        do { return try file.readAll(upTo: status.size, capacity: status.size) } catch {
            throw WeightsError(.readFailed(reason: error.description), path: path)
        }
    }

    static func write(_ bytes: [UInt8], to path: String) throws(WeightsError) {
        // Write to a temporary name and rename, so a crash never leaves half a weights file.
        let temporary = path + ".partial"
        do throws(Errno) {
            let file = try FileDescriptor.open(temporary, .truncate)
            do throws(Errno) { try file.write(bytes) } catch { try? file.close(); throw error }
            try file.close()
            try FileDescriptor.rename(temporary, to: path)
        } catch {
            FileDescriptor.remove(temporary)
            throw WeightsError(.writeFailed(reason: error.description), path: path)
        }
    }
}
