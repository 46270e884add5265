import Foundation
import MNISTPictures
import MNISTReport
import Testing

/// The pictures the project writes, checked by a second PNG reader that
/// shares no code with libpng: `scripts/check_png.py`, which verifies every
/// chunk CRC with Python's zlib and inflates the image data.
@Suite struct PythonCheckTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    /// python3 from PATH, or `nil` when there is none.
    static func python() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/python3" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    @Test func pythonAcceptsTheGridAndTheHeatMap() throws {
        let folder = try TemporaryFolder()
        let digit = (0..<784).map { UInt8(($0 * 7) % 256) }
        let entries = (0..<13).map { MisclassifiedGrid.Entry(index: $0 * 100, label: $0 % 10, predicted: ($0 + 3) % 10,
                                                              confidence: 0.5, pixels: digit) }
        try PNGFile.write(MisclassifiedGrid(entries: entries, totalMisclassified: 20).render(), to: folder.file("grid.png"))
        let confusion = (0..<10).map { row in (0..<10).map { row == $0 ? 1000 : ($0 + row) % 4 } }
        try PNGFile.write(ConfusionHeatmap(confusion: confusion).render(), to: folder.file("heat.png"))
        try PNGFile.write(path: folder.file("interlaced.png"), width: 9, height: 5, bitDepth: 16, colorType: .rgba,
                          interlaced: true, data: (0..<(9 * 5 * 8)).map { UInt8($0 % 256) })
        let files = ["grid.png", "heat.png", "interlaced.png"].map(folder.file)
        // The project's own reader first.
        for file in files { _ = try ImageFile.read(path: file) }

        guard let python = Self.python() else {
            print("python3 not found: skipping the check of PNG files by scripts/check_png.py")
            return
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [Self.root + "/scripts/check_png.py"] + files
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
