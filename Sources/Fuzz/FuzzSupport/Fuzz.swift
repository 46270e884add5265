import Glibc
import MNISTData
import MNISTNetwork
import MNISTPlumbing

/// What libFuzzer calls with each input: `LLVMFuzzerTestOneInput`'s signature.
public typealias FuzzCallback = @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32

#if FUZZING
/// libFuzzer's entry for programs that have their own `main` (SwiftPM links
/// executables with one). Only referenced with `-DFUZZING`, so the normal
/// build, which does not link libFuzzer, never needs the symbol.
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: FuzzCallback
) -> Int32
#endif

/// The shared half of every fuzz target: the libFuzzer driver, scratch files
/// (the readers take paths, as the CLI does) and the rule that a reader may
/// fail only with its own error type and a well-formed message.
public enum Fuzz {
    /// Runs libFuzzer with `callback`; without `-DFUZZING`, says how to build
    /// the target and exits 64 (EX_USAGE).
    public static func main(_ target: String, _ callback: FuzzCallback) -> Never {
        #if FUZZING
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, callback))
        #else
        let text = """
            \(target) is a libFuzzer target and was built without it. Build and run it with
              scripts/fuzz.sh [seconds]
            or by hand:
              swift build -c debug --scratch-path .build-fuzz -Xswiftc -sanitize=fuzzer,address \
            -Xswiftc -DFUZZING --product \(target)

            """
        StandardError.write(text)
        exit(64)
        #endif
    }

    /// The input as an array (libFuzzer may pass a null pointer for size 0).
    public static func bytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
        guard let data, size > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: size))
    }

    /// Writes each of `contents` to its own file in /dev/shm (named after this
    /// process, so parallel fuzzers never share one), runs `body` with the
    /// paths, and removes the files. An error thrown by `body` must be a
    /// `DataError` or `WeightsError` whose message names the file and reads
    /// as documented; anything else stops the fuzzer as a finding.
    public static func withFiles(_ contents: [[UInt8]], _ body: ([String]) throws -> Void) {
        let paths = contents.indices.map { "/dev/shm/mnist-fuzz-\(getpid())-\($0)" }
        for (path, bytes) in zip(paths, contents) { write(bytes, to: path) }
        defer { paths.forEach(FileDescriptor.remove) }
        do {
            try body(paths)
        } catch let error as DataError {
            check(error, paths: paths)
        } catch let error as WeightsError {
            require(paths.contains(error.path), "WeightsError names another file: \(error)")
            require(!error.isUnreadableFile, "a file just written reads as unreadable: \(error)")
        } catch {
            fatalError("unexpected error type \(type(of: error)): \(error)")
        }
    }

    /// A finding: stops the fuzzer (as a crash) with `message`.
    public static func require(_ condition: Bool, _ message: @autoclosure () -> String) {
        if !condition { fatalError(message()) }
    }

    private static func check(_ error: DataError, paths: [String]) {
        require(paths.contains(error.path), "DataError names another file: \(error)")
        require(!error.isUnreadableFile, "a file just written reads as unreadable: \(error)")
        require(error.description.hasPrefix(error.path + ": "), "message does not start with the path: \(error)")
        // An offset in file bytes must lie within the file (it may name the end).
        if let offset = error.offset, !error.inDecompressedData {
            require(FileStatus(path: error.path).map { offset <= UInt64($0.size) } ?? false,
                    "offset beyond the end of the file: \(error)")
        }
    }

    private static func write(_ bytes: [UInt8], to path: String) {
        do throws(Errno) {
            let file = try FileDescriptor.open(path, .truncate, permissions: 0o600)
            defer { try? file.close() }
            try file.write(bytes)
        } catch {
            require(false, "cannot write \(path): \(error)")
        }
    }
}

/// Reads fuzz input bytes front to back, as small choices and lengths.
public struct FuzzBytes {
    private var bytes: ArraySlice<UInt8>

    public init(_ bytes: [UInt8]) { self.bytes = bytes[...] }

    /// The next byte, or 0 when the input is used up.
    public mutating func byte() -> UInt8 { bytes.popFirst() ?? 0 }

    /// A little-endian 16-bit value from the next two bytes.
    public mutating func uint16() -> Int { Int(byte()) | Int(byte()) << 8 }

    /// Everything not read yet.
    public var rest: [UInt8] { Array(bytes) }
}
