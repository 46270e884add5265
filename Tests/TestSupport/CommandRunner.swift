import Foundation

/// Runs a built executable of this package and captures its output.
public enum CommandRunner {
    public struct Output: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// The executable next to the test bundle (SwiftPM builds both into the same folder).
    public static func executable(_ name: String) -> String {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        // On Linux the test binary is <build>/debug/MNISTPackageTests.xctest; elsewhere a bundle inside it.
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent(name).path), directory.path != "/" {
            directory.deleteLastPathComponent()
        }
        return directory.appendingPathComponent(name).path
    }

    /// Runs the built tool `name` in `directory` (default: the repository).
    public static func run(_ name: String, _ arguments: [String], in directory: String = Repository.root) throws -> Output {
        try run(program: executable(name), arguments, in: directory)
    }

    /// Runs any program by its path (git, bash, python3), with `environment`
    /// in place of this process's when given.
    public static func run(program path: String, _ arguments: [String], in directory: String = Repository.root,
                           environment: [String: String]? = nil) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        if let environment { process.environment = environment }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Both pipes are drained at once, stderr on another thread: reading one
        // to its end first would deadlock on a child that fills the other's
        // pipe buffer (64 KiB) and waits.
        let stderrData = LockedData()
        let stderrRead = DispatchGroup()
        DispatchQueue.global().async(group: stderrRead) {
            stderrData.set(err.fileHandleForReading.readDataToEndOfFile())
        }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        stderrRead.wait()
        let stderr = stderrData.get()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }
}

/// Bytes handed from the thread that read them to the one that waits.
private final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func set(_ value: Data) { lock.lock(); data = value; lock.unlock() }
    func get() -> Data { lock.lock(); defer { lock.unlock() }; return data }
}
