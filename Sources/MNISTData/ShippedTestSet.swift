#if canImport(Glibc)
import Glibc
#endif

/// Where `mnist-eval` without an argument finds the MNIST test set that ships
/// with this package: `Data/t10k-images-idx3-ubyte.gz` in the current
/// directory, else in the package the running executable was built in (so
/// `swift run --package-path ~/mnist mnist-eval` works from any directory).
public enum ShippedTestSet {
    /// The images file's path inside the package.
    public static let relativePath = "Data/t10k-images-idx3-ubyte.gz"

    /// Where it was looked for, in order: the current directory, then each
    /// directory above the executable's (`.build/<triple>/release/` sits
    /// three levels inside the package).
    public static func candidates(executable: String? = executablePath()) -> [String] {
        var paths = [relativePath]
        guard let executable, let slash = executable.lastIndex(of: "/") else { return paths }
        var directory = String(executable[..<slash])
        for _ in 0..<4 {
            guard let up = directory.lastIndex(of: "/"), up > directory.startIndex else { break }
            directory = String(directory[..<up])
            paths.append(directory + "/" + relativePath)
        }
        return paths
    }

    /// The first candidate that is a file, or nil.
    public static func locate() -> String? {
        candidates().first { FileInput.isFile($0) }
    }

    /// The running executable's absolute path (Linux's `/proc/self/exe`).
    public static func executablePath() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
