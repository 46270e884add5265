import MNISTPlumbing

/// mnist-eval's live progress line on stderr, drawn only when stderr is a
/// terminal. (Errors and notes: `reportError`, `reportNote`.)
enum Console {
    /// A progress callback for `Evaluator.run`, or nil when stderr is not a terminal.
    static func progressLine() -> ((Int, Int) -> Void)? {
        guard FileDescriptor.standardError.isTerminal else { return nil }
        return { done, total in
            let fraction = total > 0 ? Double(done) / Double(total) : 1
            StandardError.write("\r\u{1B}[2Kclassified \(done)/\(total) images (\(NumberFormat.percent(fraction, decimals: 0)))")
        }
    }

    static func clearProgress() {
        StandardError.write("\r\u{1B}[2K")
    }
}
