#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MNISTData
import MNISTReport

/// stderr output: errors in the documented form, and a live progress line
/// only when stderr is a terminal.
enum Console {
    static func error(_ message: String) {
        write("mnist-eval: error: \(message)\n")
    }

    /// Something the user should know that is not an error: the run goes on.
    static func note(_ message: String) {
        write("mnist-eval: note: \(message)\n")
    }

    /// Straight to file descriptor 2 (unbuffered, like stderr).
    static func write(_ text: String) { StandardError.write(text) }

    /// A progress callback for `Evaluator.run`, or nil when stderr is not a terminal.
    static func progressLine() -> ((Int, Int) -> Void)? {
        guard isatty(STDERR_FILENO) == 1 else { return nil }
        return { done, total in
            let fraction = total > 0 ? Double(done) / Double(total) : 1
            write("\r\u{1B}[2Kclassified \(done)/\(total) images (\(NumberFormat.fixed(fraction * 100, decimals: 0))%)")
        }
    }

    static func clearProgress() {
        write("\r\u{1B}[2K")
    }
}
