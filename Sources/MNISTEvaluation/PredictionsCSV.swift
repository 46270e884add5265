import MNISTPlumbing

/// One CSV row per image, for looking at individual predictions in a
/// spreadsheet or with pandas: which images were wrong, and how sure the
/// network was.
///
///     index,label,predicted,confidence
///     0,7,7,0.998123
///     1,2,2,0.871000
///
/// `index` is the image's 0-based position in the IDX file; `label` is empty
/// when the run had no labels; `confidence` is the softmax probability of the
/// predicted class with exactly six decimals. Lines end with `\n`.
public enum PredictionsCSV {
    public static let header = "index,label,predicted,confidence\n"

    /// Writes rows as an evaluation streams past, so a million images need no
    /// more memory than the 64 KiB buffer.
    public final class Writer {
        private let file: BufferedFileWriter

        /// Creates or replaces the file at `path` and writes the header.
        /// - Throws: `FileWriteError` naming `path` (a directory, a missing
        ///   folder, no permission).
        public init(path: String) throws {
            file = try BufferedFileWriter(path: path)
            try file.append(header)
        }

        public func append(index: Int, label: UInt8?, predicted: UInt8, confidence: Float) throws {
            try file.append(decimal: index)
            try file.append(byte: UInt8(ascii: ","))
            if let label { try file.append(decimal: Int(label)) }
            try file.append(byte: UInt8(ascii: ","))
            try file.append(decimal: Int(predicted))
            try file.append(byte: UInt8(ascii: ","))
            try PredictionsCSV.appendSixDecimals(confidence, to: file)
            try file.append(byte: UInt8(ascii: "\n"))
        }

        /// Flushes and closes the file.
        public func finish() throws { try file.finish() }

        /// Removes the file: the run failed, and half a CSV must not look like a result.
        public func discard() { file.discard() }
    }

    /// Writes whole arrays at once (tools and tests that classify in memory).
    /// - Precondition: `confidences` (and `labels`, when present) have one
    ///   entry per prediction.
    public static func write(predictions: [UInt8], confidences: [Float], labels: [UInt8]?, to path: String) throws {
        precondition(confidences.count == predictions.count, "one confidence per prediction")
        precondition(labels.map { $0.count == predictions.count } ?? true, "one label per prediction")
        let writer = try Writer(path: path)
        for index in predictions.indices {
            try writer.append(index: index, label: labels?[index], predicted: predictions[index], confidence: confidences[index])
        }
        try writer.finish()
    }

    /// `value` with exactly six decimals, the same text as `%.6f`.
    ///
    /// `String(format:)` costs microseconds per call, which a million rows
    /// would feel. For a `Float`, `value × 10⁶` is exact in a `Double` (24 +
    /// 20 significant bits), so rounding it half-to-even gives the same digits
    /// as the C library's correctly rounded `%.6f`; a test checks this.
    /// Non-finite or huge values (never a probability) take the slow path.
    static func appendSixDecimals(_ value: Float, to writer: BufferedFileWriter) throws {
        let wide = Double(value)
        guard wide.isFinite, wide.magnitude < 1e12 else {
            return try writer.append(NumberFormat.fixed(wide, decimals: 6))
        }
        let scaled = Int((wide.magnitude * 1e6).rounded(.toNearestOrEven))
        if wide < 0 && scaled != 0 { try writer.append(byte: UInt8(ascii: "-")) }
        try writer.append(decimal: scaled / 1_000_000)
        try writer.append(byte: UInt8(ascii: "."))
        let fraction = scaled % 1_000_000
        var place = 100_000
        while place > 1 && place > fraction {
            try writer.append(byte: UInt8(ascii: "0"))
            place /= 10
        }
        try writer.append(decimal: fraction)
    }
}
