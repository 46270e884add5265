#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MNISTData

/// Writes training progress to standard error.
///
/// On a terminal one live line is redrawn (`\r` plus ANSI clear-line) with the
/// batch progress, loss, speed and time left, and every epoch leaves a line
/// behind; in a log file or pipe only the per-epoch lines appear, so logs stay
/// readable.
public final class ConsoleProgress: @unchecked Sendable {
    private let isTerminal: Bool

    public init(isTerminal: Bool = isatty(STDERR_FILENO) != 0) {
        self.isTerminal = isTerminal
    }

    public func handle(_ event: TrainingEvent) {
        switch event {
        case .batch(let progress):
            guard isTerminal else { return }
            let line = "epoch \(progress.epoch)/\(progress.epochs)  batch \(progress.batch)/\(progress.batches)"
                + "  loss \(Self.fixed(progress.loss, 4))  \(Int(progress.imagesPerSecond)) images/s"
                + "  \(Self.duration(progress.secondsLeft)) left"
            emit("\r\u{1B}[2K" + line)
        case .epoch(let summary):
            emit((isTerminal ? "\r\u{1B}[2K" : "") + Self.epochLine(summary) + "\n")
        }
    }

    /// `epoch 3/40  loss 0.1234  validation 98.12%  2.143 s` (training and validating the epoch;
    /// milliseconds, as scripts/bench.sh compares epochs of about 0.4 s).
    public static func epochLine(_ summary: EpochSummary) -> String {
        let validation = summary.validationAccuracy.map { "  validation \(fixed($0 * 100, 2))%" } ?? ""
        return "epoch \(summary.epoch)/\(summary.epochs)  loss \(fixed(summary.loss, 4))\(validation)  \(fixed(summary.seconds, 3)) s"
    }

    /// `value` with `digits` decimals, without Foundation's formatters.
    static func fixed(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return "\(value)" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        let whole = Int(scaled / scale)
        let fraction = Int(scaled - Double(whole) * scale)
        let fractionText = String(fraction)
        let padded = String(repeating: "0", count: max(0, digits - fractionText.count)) + fractionText
        return (value < 0 && scaled > 0 ? "-" : "") + "\(whole)" + (digits > 0 ? "." + padded : "")
    }

    /// `1m05s` or `42s`.
    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        return total >= 60 ? "\(total / 60)m\(total % 60 < 10 ? "0" : "")\(total % 60)s" : "\(total)s"
    }

    /// Straight to file descriptor 2: unbuffered, so the live line shows at once.
    private func emit(_ text: String) { StandardError.write(text) }
}
