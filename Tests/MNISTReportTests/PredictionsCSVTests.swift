import Foundation
import Testing
@testable import MNISTEvaluation
import MNISTPlumbing
@testable import MNISTReport

/// Per-image rows, as an evaluation streams them to `PredictionsCSV.Writer`.
struct CSVRows {
    var predictions: [UInt8]
    var confidences: [Float]? = nil
    var labels: [UInt8]?

    func write(to path: String) throws {
        try PredictionsCSV.write(predictions: predictions, confidences: confidences ?? predictions.map { _ in 0.5 },
                                 labels: labels, to: path)
    }
}

@Suite struct PredictionsCSVTests {
    /// A fresh file path in a fresh temporary folder, removed after `body`.
    func withTemporaryPath(_ body: (String) throws -> Void) throws {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("PredictionsCSVTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try body(folder.appendingPathComponent("predictions.csv").path)
    }

    func written(_ result: CSVRows) throws -> String {
        var text = ""
        try withTemporaryPath { path in
            try result.write(to: path)
            text = try String(contentsOfFile: path, encoding: .utf8)
        }
        return text
    }

    @Test func labelledRowsHaveIndexLabelPredictionAndSixDecimals() throws {
        let result = CSVRows(
            predictions: [7, 2, 1], confidences: [0.998123, 0.5, 1], labels: [7, 2, 0])
        #expect(try written(result) == """
            index,label,predicted,confidence
            0,7,7,0.998123
            1,2,2,0.500000
            2,0,1,1.000000

            """)
    }

    @Test func unlabeledRowsLeaveTheLabelEmpty() throws {
        let result = CSVRows(
            predictions: [3, 10 - 1, 0], confidences: [0.25, 0.000001, 0.0078125], labels: nil)
        // 0.0078125 × 10⁶ = 7812.5 exactly: a tie, rounded to even like printf.
        #expect(try written(result) == """
            index,label,predicted,confidence
            0,,3,0.250000
            1,,9,0.000001
            2,,0,0.007812

            """)
    }

    @Test func confidencesMatchPrintfSixDecimals() throws {
        let confidences: [Float] = (0...4096).map { Float($0) / 4096 }
            + (0..<1000).map { Float($0) * 0.000_997 } + [0.1, 0.3, 0.7, 0.999_999_9]
        let result = CSVRows(
            predictions: confidences.map { _ in 0 }, confidences: confidences, labels: nil)
        let rows = try written(result).split(separator: "\n").dropFirst()
        for (row, confidence) in zip(rows, confidences) {
            let expected = String(format: "%.6f", Double(confidence))
            #expect(row.hasSuffix(",\(expected)"), "\(confidence): \(row) vs \(expected)")
        }
    }

    @Test func aMillionRowsAreWrittenInFull() throws {
        let count = 1_000_000
        let predictions = (0..<count).map { UInt8($0 % 10) }
        let result = CSVRows(
            predictions: predictions, confidences: Array(repeating: 0.5, count: count), labels: predictions)
        try withTemporaryPath { path in
            try result.write(to: path)
            let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int
            // Each row is "<index>,d,d,0.500000\n": the index digits + 14 bytes.
            // Indices 0...999_999 have 10·1 + 90·2 + 900·3 + ... + 900_000·6 digits.
            let indexDigits = 10 + 90 * 2 + 900 * 3 + 9_000 * 4 + 90_000 * 5 + 900_000 * 6
            #expect(size == PredictionsCSV.header.utf8.count + indexDigits + 14 * count)
        }
    }

    @Test func writingToADirectoryThrowsAnErrorNamingThePath() throws {
        let folder = FileManager.default.temporaryDirectory.path
        let result = CSVRows(predictions: [1], labels: nil)
        let error = try #require(throws: FileWriteError.self) {
            try result.write(to: folder)
        }
        #expect(error.kind == .open)
        #expect(error.path == folder)
        #expect(error.description.hasPrefix("\(folder): cannot open for writing: "))
    }

    @Test func writingIntoAMissingFolderThrowsAnErrorNamingThePath() throws {
        let path = "/nonexistent-\(UUID().uuidString)/predictions.csv"
        let error = try #require(throws: FileWriteError.self) {
            try CSVRows(predictions: [1], labels: nil).write(to: path)
        }
        #expect(error.description == "\(path): cannot open for writing: No such file or directory")
    }
}
