import Foundation
import MNISTData
import MNISTNetwork

/// Runs a built executable of this package and captures its output.
struct CommandRunner {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The executable next to the test bundle (SwiftPM builds both into the same folder).
    static func executable(_ name: String) -> String {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        // On Linux the test binary is <build>/debug/MNISTPackageTests.xctest; elsewhere a bundle inside it.
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent(name).path), directory.path != "/" {
            directory.deleteLastPathComponent()
        }
        return directory.appendingPathComponent(name).path
    }

    static func run(_ name: String, _ arguments: [String], in directory: String = repositoryRoot) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable(name))
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
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

/// A temporary folder holding a small MNIST-style data set and weights.
final class Fixture: Sendable {
    let path: String
    private let keep: Bool

    /// A fresh temporary folder, removed with the fixture; or `directory`,
    /// created if needed and kept (for scripts that replay the files).
    init(keepingIn directory: String? = nil) throws {
        path = directory ?? NSTemporaryDirectory() + "mnist-e2e-" + UUID().uuidString
        keep = directory != nil
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { if !keep { try? FileManager.default.removeItem(atPath: path) } }

    func file(_ name: String) -> String { path + "/" + name }

    func write(_ name: String, _ bytes: [UInt8]) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: file(name)))
    }

    /// IDX bytes: magic 00 00 08 NN, big-endian dimensions, data.
    static func idx(_ dimensions: [Int], _ data: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = [0, 0, 0x08, UInt8(dimensions.count)]
        for d in dimensions { bytes += [UInt8(d >> 24 & 0xFF), UInt8(d >> 16 & 0xFF), UInt8(d >> 8 & 0xFF), UInt8(d & 0xFF)] }
        return bytes + data
    }

    /// The first `count` t10k images and labels, gzip-compressed, named like MNIST's files.
    func writeSubset(count: Int, prefix: String = "subset") throws {
        let reader = try IDXImageReader(path: CommandRunner.repositoryRoot + "/Data/t10k-images-idx3-ubyte.gz")
        var pixels = [UInt8](repeating: 0, count: count * 784)
        _ = try pixels.withUnsafeMutableBufferPointer { try reader.read(maxImages: count, into: $0) }
        let labels = try LabelSet.read(path: CommandRunner.repositoryRoot + "/Data/t10k-labels-idx1-ubyte.gz").labels
        try write("\(prefix)-images-idx3-ubyte.gz", Gzip.compress(Self.idx([count, 28, 28], pixels)))
        try write("\(prefix)-labels-idx1-ubyte.gz", Gzip.compress(Self.idx([count], Array(labels[0..<count]))))
    }

    /// A deterministic 784-16-10 network that puts most images in a few classes.
    func writeWeights(_ name: String = "w.safetensors") throws {
        var state: UInt64 = 42
        func next() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int64(bitPattern: state >> 11) % 2001 - 1000) / 20000
        }
        let network = Network(layers: [
            DenseLayer(inputs: 784, outputs: 16, weights: (0..<(784 * 16)).map { _ in next() }, bias: .init(repeating: 0, count: 16)),
            DenseLayer(inputs: 16, outputs: 10, weights: (0..<160).map { _ in next() }, bias: .init(repeating: 0, count: 10)),
        ], hiddenActivation: .relu)
        try network.save(to: file(name))
    }
}
