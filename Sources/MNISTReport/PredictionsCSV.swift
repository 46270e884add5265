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

    /// Writes the CSV to `path`, creating or replacing the file.
    ///
    /// Rows are streamed through a 64 KiB buffer, so a million images take a
    /// fraction of a second and no more memory than the buffer.
    ///
    /// - Throws: `ReportFileError` naming `path` when the file cannot be
    ///   opened (a directory, a missing folder, no permission) or written.
    /// - Precondition: `confidences` (and `labels`, when present) have one
    ///   entry per prediction.
    public static func write(_ result: EvaluationResult, to path: String) throws {
        precondition(result.confidences.count == result.predictions.count,
                     "one confidence per prediction")
        precondition(result.labels.map { $0.count == result.predictions.count } ?? true,
                     "one label per prediction")
        let writer = try BufferedFileWriter(path: path)
        try writer.append(header)
        for index in result.predictions.indices {
            try writer.append(decimal: index)
            try writer.append(byte: UInt8(ascii: ","))
            if let labels = result.labels { try writer.append(decimal: Int(labels[index])) }
            try writer.append(byte: UInt8(ascii: ","))
            try writer.append(decimal: Int(result.predictions[index]))
            try writer.append(byte: UInt8(ascii: ","))
            try appendSixDecimals(result.confidences[index], to: writer)
            try writer.append(byte: UInt8(ascii: "\n"))
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
