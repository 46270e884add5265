/// The exit codes the tools document (from BSD's sysexits.h where one fits).
public enum ExitStatus: Int32, Sendable {
    /// Done, and every gate (if any) passed.
    case success = 0
    /// A gate failed: `--min-accuracy`, `--max-drop` or `--min-recall`.
    case belowGate = 1
    /// Bad command line (EX_USAGE).
    case usage = 64
    /// Malformed images, labels, pictures or weights, or a baseline that does
    /// not match the images (EX_DATAERR).
    case dataError = 65
    /// A file that cannot be opened or read, or an output that cannot be written (EX_NOINPUT).
    case cannotOpen = 66

    /// The status for any error a tool reports: 66 for a ``FileError`` whose
    /// file could not be read or written at all, 65 for every other error
    /// (the file was read and its content is wrong).
    public init(for error: any Error) {
        self = (error as? any FileError)?.isUnreadableFile == true ? .cannotOpen : .dataError
    }
}

/// An error about a file that tells apart a file that could not be read or
/// written at all (exit 66) from one that was read and is malformed (exit 65).
///
/// Each layer's error type conforms (`DataError`, `WeightsError`,
/// `ImageError`, `BaselineError`, ``FileWriteError``), so ``ExitStatus`` maps
/// them all without knowing any of them.
public protocol FileError: Error {
    var isUnreadableFile: Bool { get }
}
