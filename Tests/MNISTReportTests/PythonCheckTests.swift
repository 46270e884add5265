import Foundation
import MNISTEvaluation
import MNISTPictures
import MNISTReport
import Testing
import TestSupport

/// The pictures the project writes, checked by a second PNG reader that
/// shares no code with libpng: `scripts/check_png.py`, which verifies every
/// chunk CRC with Python's zlib and inflates the image data.
@Suite struct PythonCheckTests {

    /// python3 from PATH, or `nil` when there is none.
    static func python() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/python3" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The grid, the heat map and a 16-bit interlaced RGBA file, written into `folder`.
    static func writePictures(into folder: TemporaryDirectory) throws -> [String] {
        let digit = (0..<784).map { UInt8(($0 * 7) % 256) }
        let entries = (0..<13).map { RetainedImage(index: $0 * 100, label: UInt8($0 % 10), predicted: UInt8(($0 + 3) % 10),
                                                   confidence: 0.5, pixels: digit) }
        try PNGFile.write(MisclassifiedGrid(entries: entries, totalMisclassified: 20).render(), to: folder.file("grid.png"))
        let confusion = (0..<10).map { row in (0..<10).map { row == $0 ? 1000 : ($0 + row) % 4 } }
        try PNGFile.write(ConfusionHeatmap(confusion: confusion).render(), to: folder.file("heat.png"))
        try PNGFile.write(path: folder.file("interlaced.png"), width: 9, height: 5, bitDepth: 16, colorType: .rgba,
                          interlaced: true, data: (0..<(9 * 5 * 8)).map { UInt8($0 % 256) })
        return ["grid.png", "heat.png", "interlaced.png"].map(folder.file)
    }

    @Test func theProjectsOwnReaderAcceptsThem() throws {
        let folder = TemporaryDirectory()
        for file in try Self.writePictures(into: folder) { _ = try ImageFile.read(path: file) }
    }

    /// Skipped, and reported as skipped, on a machine without python3.
    @Test(.enabled(if: python() != nil, "needs python3 for scripts/check_png.py"))
    func pythonAcceptsTheGridAndTheHeatMap() throws {
        let folder = TemporaryDirectory()
        let files = try Self.writePictures(into: folder)
        let python = try #require(Self.python())
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [Repository.root + "/scripts/check_png.py"] + files
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        print(text, terminator: "")
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.components(separatedBy: ": ok: ").count == files.count + 1)
    }
}
