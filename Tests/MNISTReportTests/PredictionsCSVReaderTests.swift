import Foundation
import Testing
import MNISTData
@testable import MNISTEvaluation
import MNISTPlumbing
@testable import MNISTReport

/// Reading a predictions CSV back as a baseline, and refusing one that does
/// not belong to the images with the file, the line and what disagrees.
@Suite struct PredictionsCSVReaderTests {
    /// A temporary folder, removed with the test.
    final class Folder: Sendable {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("PredictionsCSVReaderTests-\(UUID().uuidString)").path
        init() throws { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(atPath: path) }
    }

    let temporary: Folder
    var folder: String { temporary.path }

    init() throws {
        temporary = try Folder()
    }

    func path(_ name: String) -> String { folder + "/" + name }

    func write(_ name: String, _ text: String) throws -> String {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path(name)))
        return path(name)
    }

    /// Reads every row against `labels`, in chunks of `chunk`, then `finish`.
    func read(_ file: String, labels: [UInt8], chunk: Int = 3) throws -> [UInt8] {
        let reader = try PredictionsCSV.Reader(path: file, images: labels.count)
        var predictions = [UInt8](repeating: 0, count: labels.count)
        var first = 0
        while first < labels.count {
            let count = min(chunk, labels.count - first)
            try labels[first..<(first + count)].withUnsafeBufferPointer { batch in
                try predictions.withUnsafeMutableBufferPointer { out in
                    try reader.read(first: first, labels: batch, classCount: 10,
                                    into: UnsafeMutableBufferPointer(rebasing: out[first..<(first + count)]))
                }
            }
            first += count
        }
        try reader.finish()
        return predictions
    }

    func error(_ file: String, labels: [UInt8]) throws -> BaselineError {
        try #require(throws: BaselineError.self) { _ = try read(file, labels: labels) }
    }

    @Test func readsBackWhatTheWriterWrote() throws {
        let labels: [UInt8] = (0..<1000).map { UInt8($0 % 10) }
        let predictions: [UInt8] = (0..<1000).map { UInt8(($0 * 7) % 10) }
        let file = path("p.csv")
        try PredictionsCSV.write(predictions: predictions, confidences: predictions.map { _ in 0.25 }, labels: labels, to: file)
        #expect(try read(file, labels: labels) == predictions)
        #expect(try read(file, labels: labels, chunk: 1000) == predictions)
    }

    /// 400,000 rows cross the 64 KiB buffer many times, at every offset.
    @Test func readsRowsAcrossBufferBoundaries() throws {
        let count = 400_000
        let labels: [UInt8] = (0..<count).map { UInt8($0 % 10) }
        let predictions: [UInt8] = (0..<count).map { UInt8(($0 / 3) % 10) }
        let file = path("big.csv")
        try PredictionsCSV.write(predictions: predictions, confidences: predictions.map { Float($0) / 9 }, labels: labels, to: file)
        #expect(try read(file, labels: labels, chunk: 1024) == predictions)
    }

    @Test func acceptsGzipCRLFAByteOrderMarkAndNoFinalNewline() throws {
        let text = "\u{FEFF}index,label,predicted,confidence\r\n0,7,7,0.998123\r\n1,2,1,0.500000"
        let file = path("p.csv.gz")
        try Data(Gzip.compress(Array(text.utf8))).write(to: URL(fileURLWithPath: file))
        #expect(try read(file, labels: [7, 2]) == [7, 1])
        #expect(try read(try write("crlf.csv", text), labels: [7, 2]) == [7, 1])
    }

    @Test func aMissingFileOrADirectoryCannotBeOpened() throws {
        let missing = try #require(throws: BaselineError.self) { try PredictionsCSV.Reader(path: path("none.csv"), images: 1) }
        #expect(missing.isUnreadableFile)
        #expect(missing.description == "\(path("none.csv")): cannot open: No such file or directory")
        let directory = try #require(throws: BaselineError.self) { try PredictionsCSV.Reader(path: folder, images: 1) }
        #expect(directory.isUnreadableFile)
        #expect(directory.description == "\(folder): is a directory; expected a predictions CSV written by mnist-eval --predictions")
    }

    @Test(arguments: [
        // (file content, expected message after "<path>: ")
        ("", "empty file; expected a predictions CSV written by mnist-eval --predictions, found 0 bytes"),
        ("\u{89}PNG\r\n\u{1A}\n", #"line 1: not a predictions CSV; expected the header index,label,predicted,confidence, found "\xc2\x89PNG""#),
        ("index,label,prediction\n", #"line 1: not a predictions CSV; expected the header index,label,predicted,confidence, found "index,label,prediction""#),
        ("index,label,predicted,confidence\n0,7,7\n", #"line 2: not a predictions row; expected index,label,predicted,confidence, found "0,7,7""#),
        ("index,label,predicted,confidence\n0,7,x,0.5\n", #"line 2: not a predictions row; expected index,label,predicted,confidence, found "0,7,x,0.5""#),
        ("index,label,predicted,confidence\n0,7,7,0.5,1\n", #"line 2: not a predictions row; expected index,label,predicted,confidence, found "0,7,7,0.5,1""#),
        ("index,label,predicted,confidence\n0,7,7,0.5\n2,2,2,0.5\n", "line 3: rows out of step with the images; expected index 1, found 2"),
        ("index,label,predicted,confidence\n0,7,7,0.5\n1,3,2,0.5\n", "line 3: image 1 has another label than in the images' labels file; expected 2, found 3"),
        ("index,label,predicted,confidence\n0,,7,0.5\n", "line 2: image 0 has another label than in the images' labels file; expected 7, found none (written without labels)"),
        ("index,label,predicted,confidence\n0,7,12,0.5\n", "line 2: predicted class out of range; expected 0...9, found 12"),
        ("index,label,predicted,confidence\n0,7,7,0.5\n1,2,2,0.5\n", "line 4: the baseline ends after 2 images; expected a row for each of the 3 images, found end of file"),
        ("index,label,predicted,confidence\n0,7,7,0.5\n1,2,2,0.5\n2,1,1,0.5\n3,0,0,0.5\n", "line 5: more rows than images; expected end of file after 3 rows, found another row"),
    ])
    func aBaselineThatDoesNotMatchNamesTheFileAndTheFirstRowThatDisagrees(_ content: String, _ message: String) throws {
        let file = try write("bad.csv", content)
        let problem = try error(file, labels: [7, 2, 1])
        #expect(!problem.isUnreadableFile)
        #expect(problem.description == "\(file): \(message)")
    }

    @Test func emptyLinesAfterTheLastRowAreAllowed() throws {
        let file = try write("trailing.csv", "index,label,predicted,confidence\n0,7,7,0.5\n\n\n")
        #expect(try read(file, labels: [7]) == [7])
    }

    @Test func aLongBinaryLineIsQuotedShort() throws {
        let file = path("binary.csv")
        try Data([UInt8](repeating: 0xFF, count: 200_000)).write(to: URL(fileURLWithPath: file))
        let problem = try #require(throws: BaselineError.self) { try PredictionsCSV.Reader(path: file, images: 1) }
        #expect(problem.description == "\(file): line 1: not a predictions CSV; expected the header index,label,predicted,confidence, "
                + "found \"" + String(repeating: "\\xff", count: 60) + "...\"")
    }
}
