import MNISTData
import MNISTNetwork

/// The exit codes `mnist-eval` documents (from BSD's sysexits.h where one fits).
public enum ExitStatus: Int32, Sendable {
    /// Done, and every gate (if any) passed.
    case success = 0
    /// A gate failed: `--min-accuracy`, `--max-drop` or `--min-recall`.
    case belowGate = 1
    /// Bad command line (EX_USAGE).
    case usage = 64
    /// Malformed images, labels or weights, or a baseline that does not
    /// match the images (EX_DATAERR).
    case dataError = 65
    /// A file that cannot be opened or read, or an output that cannot be written (EX_NOINPUT).
    case cannotOpen = 66

    /// The status for an error thrown by the data, weights or report layers.
    public init(for error: any Error) {
        switch error {
        case let error as DataError: self = error.isUnreadableFile ? .cannotOpen : .dataError
        case let error as WeightsError: self = error.isUnreadableFile ? .cannotOpen : .dataError
        case let error as BaselineError: self = error.isUnreadableFile ? .cannotOpen : .dataError
        case is ReportFileError: self = .cannotOpen
        default: self = .dataError
        }
    }
}
