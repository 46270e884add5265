/// A failure writing a file (a report, the predictions CSV), naming the file and what the system said.
///
/// The message reads `<path>: cannot <operation>: <strerror>`, e.g.
/// `out/: cannot open for writing: Is a directory`, so the top level can
/// print it as is after `mnist-eval: error: `.
public struct FileWriteError: FileError, Equatable, CustomStringConvertible {
    /// What was being done when it failed; tests compare this.
    public enum Kind: Sendable, Equatable {
        case open, write, close
    }

    public let kind: Kind
    public let path: String
    /// The `errno` value the system call left.
    public let code: Int32

    public init(kind: Kind, path: String, code: Int32) {
        self.kind = kind
        self.path = path
        self.code = code
    }

    /// Always true: an output that cannot be written is exit 66, like an input that cannot be read.
    public var isUnreadableFile: Bool { true }

    public var description: String {
        let operation = switch kind {
        case .open: "open for writing"
        case .write: "write"
        case .close: "finish writing"
        }
        return "\(path): cannot \(operation): \(Errno(code))"
    }
}
