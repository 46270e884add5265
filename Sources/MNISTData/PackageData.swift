import Glibc
import MNISTPlumbing

/// Where the tools find the MNIST files that ship in this package's `Data/`
/// when none is named: in the current directory, else in the package the
/// running executable was built in (so `swift run --package-path ~/mnist
/// mnist-eval` works from any directory).
public enum PackageData {
    /// The MNIST test images, `mnist-eval`'s default.
    public static let testImages = "Data/t10k-images-idx3-ubyte.gz"
    /// The MNIST training images and labels, `mnist-train`'s defaults.
    public static let trainingImages = "Data/train-images-idx3-ubyte.gz"
    public static let trainingLabels = "Data/train-labels-idx1-ubyte.gz"

    /// Where `relativePath` is looked for, in order: the current directory,
    /// then each directory above the executable's (`.build/<triple>/release/`
    /// sits three levels inside the package).
    public static func candidates(for relativePath: String, executable: String? = executablePath()) -> [String] {
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
    public static func locate(_ relativePath: String) -> String? {
        candidates(for: relativePath).first { FileDescriptor.isFile($0) }
    }

    /// The running executable's absolute path (Linux's `/proc/self/exe`).
    public static func executablePath() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
