import Foundation
import Testing
import MNISTNetwork
import TestSupport

/// `mnist-train` as a newcomer meets it: it writes a new file by default,
/// says where, and never replaces one unasked.
@Suite struct MNISTTrainCommandTests {
    static let small = ["--images", "subset-images-idx3-ubyte.gz", "--labels", "subset-labels-idx1-ubyte.gz",
                        "--epochs", "1", "--validation-size", "100", "--hidden", "8", "--quiet"]

    @Test func writesANewFileAndSaysWhere() throws {
        let fixture = Fixture()
        try fixture.writeSubset(count: 300)
        let output = try CommandRunner.run("mnist-train", Self.small, in: fixture.path)
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.hasPrefix("wrote mnist-trained.safetensors: 784-8-10, validation accuracy "))
        #expect(FileManager.default.fileExists(atPath: fixture.file("mnist-trained.safetensors")))
    }

    @Test func neverReplacesAnExistingFileUnlessTold() throws {
        let fixture = Fixture()
        try fixture.writeSubset(count: 300)
        try fixture.write("mnist-trained.safetensors", Array("precious".utf8))
        let refused = try CommandRunner.run("mnist-train", Self.small, in: fixture.path)
        #expect(refused.status == 64)
        #expect(refused.stderr == "mnist-train: error: mnist-trained.safetensors: exists; "
                + "pass --overwrite to replace it, or --output another path\n")
        #expect(try Data(contentsOf: URL(fileURLWithPath: fixture.file("mnist-trained.safetensors"))) == Data("precious".utf8))

        let replaced = try CommandRunner.run("mnist-train", Self.small + ["--overwrite"], in: fixture.path)
        #expect(replaced.status == 0, "\(replaced.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: fixture.file("mnist-trained.safetensors"))).count > 1000)
    }

    /// The weights' `corruption` metadata after a run with `options`: what the trainer did.
    private static func corruptionRecorded(_ options: [String], in fixture: Fixture) throws -> String? {
        let output = try CommandRunner.run("mnist-train", Self.small + options + ["--output", "w.safetensors", "--overwrite"],
                                           in: fixture.path)
        #expect(output.status == 0, "\(output.stderr)")
        return try Network.load(path: fixture.file("w.safetensors")).metadata["corruption"]
    }

    @Test func corruptionIsOnByDefaultAndNoneTurnsItOff() throws {
        let fixture = Fixture()
        try fixture.writeSubset(count: 300)
        #expect(try Self.corruptionRecorded([], in: fixture) == "clean=0.7,families=shading+inverted-region+noise+blur+strokes+thickness")
        #expect(try Self.corruptionRecorded(["--corrupt", "none"], in: fixture) == nil)
        #expect(try Self.corruptionRecorded(["--corrupt", "noise,blur", "--clean-fraction", "0.25"], in: fixture)
                == "clean=0.25,families=noise+blur")
    }

    @Test(arguments: ["mnist-eval", "mnist-predict", "mnist-train"])
    func everyToolPrintsItsVersion(_ tool: String) throws {
        let output = try CommandRunner.run(tool, ["--version"])
        #expect(output.status == 0)
        #expect(output.stdout == "1.0.0\n")
    }
}
