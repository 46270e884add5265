import Foundation

/// stderr output: errors in the documented form, and a live progress line
/// only when stderr is a terminal.
enum Console {
    static func error(_ message: String) {
        FileHandle.standardError.write(Data("mnist-eval: error: \(message)\n".utf8))
    }

    /// A progress callback for `Evaluator.run`, or nil when stderr is not a terminal.
    static func progressLine() -> ((Int, Int) -> Void)? {
        guard isatty(STDERR_FILENO) == 1 else { return nil }
        return { done, total in
            let percent = total > 0 ? 100 * Double(done) / Double(total) : 100
            FileHandle.standardError.write(Data(String(format: "\r\u{1B}[2Kclassified %d/%d images (%.0f%%)", done, total, percent).utf8))
        }
    }

    static func clearProgress() {
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }
}
