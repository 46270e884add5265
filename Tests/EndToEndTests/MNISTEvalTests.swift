import Foundation
import Testing
import MNISTNetwork
import TestSupport

/// Runs the built `mnist-eval` as a user or a CI pipeline would.
@Suite struct MNISTEvalTests {
    let fixture: Fixture

    init() throws {
        fixture = Fixture()
        try fixture.writeSubset(count: 60)
        try fixture.writeWeights()
    }

    func eval(_ arguments: [String]) throws -> CommandRunner.Output {
        try CommandRunner.run("mnist-eval", arguments, in: fixture.path)
    }

    @Test func textReportFindsLabelsNextToImages() throws {
        let out = try eval(["subset-images-idx3-ubyte.gz", "--weights", "w.safetensors"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("subset-labels-idx1-ubyte.gz"))
        #expect(out.stdout.contains("architecture  784-16-10"))
        #expect(out.stdout.range(of: #"accuracy: \d+\.\d\d% \(\d+/60\), 95% CI \["#, options: .regularExpression) != nil)
        #expect(out.stdout.contains("confusion matrix"))
        #expect(out.stdout.contains("images/s"))
    }

    @Test func jsonReportHasTheDocumentedKeys() throws {
        let out = try eval(["subset-images-idx3-ubyte.gz", "--weights", "w.safetensors", "--format", "json"])
        #expect(out.status == 0, "\(out.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        for key in ["images", "correct", "accuracy", "confusion", "per_class", "weights", "architecture", "seconds"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        #expect(object["images"] as? Int == 60)
        #expect(object["architecture"] as? [Int] == [784, 16, 10])
        let confusion = try #require(object["confusion"] as? [[Int]])
        #expect(confusion.count == 10 && confusion.allSatisfy { $0.count == 10 })
        #expect(confusion.flatMap { $0 }.reduce(0, +) == 60)
        let correct = try #require(object["correct"] as? Int)
        #expect((0..<10).map { confusion[$0][$0] }.reduce(0, +) == correct)
    }

    @Test func predictionsAreIdenticalForAnyBatchSizeAndThreads() throws {
        var outputs: [String] = []
        for (batch, threads) in [("1", "1"), ("7", "2"), ("256", "3")] {
            let csv = fixture.file("p\(batch).csv")
            let out = try eval(["subset-images-idx3-ubyte.gz", "--weights", "w.safetensors", "--predictions", csv,
                                "--batch-size", batch, "--threads", threads])
            #expect(out.status == 0, "\(out.stderr)")
            outputs.append(try String(contentsOfFile: csv, encoding: .utf8))
        }
        #expect(outputs[0].hasPrefix("index,label,predicted,confidence\n0,7,"))
        #expect(outputs[0].split(separator: "\n").count == 61)
        #expect(Set(outputs).count == 1)
    }

    @Test func accuracyGateExitsOneBelowAndZeroAbove() throws {
        let low = try eval(["subset-images-idx3-ubyte.gz", "--weights", "w.safetensors", "--min-accuracy", "0"])
        #expect(low.status == 0)
        let high = try eval(["subset-images-idx3-ubyte.gz", "--weights", "w.safetensors", "--min-accuracy", "1"])
        #expect(high.status == 1)
        #expect(high.stderr.contains("mnist-eval: error: accuracy"))
    }

    @Test func minAccuracyAboveOneIsAUsageError() throws {
        let out = try eval(["subset-images-idx3-ubyte.gz", "--weights", "w.safetensors", "--min-accuracy", "98"])
        #expect(out.status == 64)
        #expect(out.stderr.contains("fraction between 0 and 1"))
    }

    @Test func withoutLabelsItReportsTheHistogram() throws {
        try FileManager.default.copyItem(atPath: fixture.file("subset-images-idx3-ubyte.gz"), toPath: fixture.file("digits.gz"))
        let out = try eval(["digits.gz", "--weights", "w.safetensors"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("not measured"))
        #expect(out.stdout.contains("predicted digits"))
        let gated = try eval(["digits.gz", "--weights", "w.safetensors", "--min-accuracy", "0.5"])
        #expect(gated.status == 66)
        #expect(gated.stderr.contains("needs labels"))
    }

    @Test(arguments: [
        // (arguments, exit code, text the error must contain)
        (["missing-images.gz", "--weights", "w.safetensors"], Int32(66), "missing-images.gz: cannot open"),
        (["subset-images-idx3-ubyte.gz", "--weights", "missing.safetensors"], 66, "missing.safetensors"),
        ([".", "--weights", "w.safetensors"], 66, "directory"),
        (["subset-labels-idx1-ubyte.gz", "--weights", "w.safetensors", "--labels", "subset-labels-idx1-ubyte.gz"], 65, "not an MNIST images file"),
        (["subset-images-idx3-ubyte.gz", "--weights", "w.safetensors", "--labels", "subset-images-idx3-ubyte.gz"], 65, "subset-images-idx3-ubyte.gz"),
        (["subset-images-idx3-ubyte.gz", "--weights", "subset-labels-idx1-ubyte.gz"], 65, "subset-labels-idx1-ubyte.gz"),
        (["subset-images-idx3-ubyte.gz", "--weights", "w.safetensors", "--batch-size", "0"], 64, "--batch-size"),
    ])
    func badInputsExitWithTheDocumentedCode(arguments: [String], status: Int32, message: String) throws {
        let out = try eval(arguments)
        #expect(out.status == status, "\(arguments): \(out.stderr)")
        #expect(out.stderr.contains(message), "\(out.stderr)")
        #expect(out.stdout.isEmpty, "no partial report on error")
    }

    @Test func labelCountMismatchIsFoundBeforeClassifying() throws {
        try fixture.write("short-labels.gz", Fixture.idx([59], [UInt8](repeating: 1, count: 59)))
        let out = try eval(["subset-images-idx3-ubyte.gz", "--weights", "w.safetensors", "--labels", "short-labels.gz"])
        #expect(out.status == 65)
        #expect(out.stderr.hasPrefix("mnist-eval: error: "))
        #expect(out.stdout.isEmpty)
    }

    @Test func aFailedRunLeavesNoPredictionsFile() throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: fixture.file("subset-images-idx3-ubyte.gz"))))
        try fixture.write("cut2-images.gz", Array(bytes[0..<(bytes.count * 3 / 4)]))
        let out = try eval(["cut2-images.gz", "--weights", "w.safetensors", "--labels", "subset-labels-idx1-ubyte.gz",
                            "--predictions", "p.csv"])
        #expect(out.status == 65)
        #expect(!FileManager.default.fileExists(atPath: fixture.file("p.csv")))
    }

    @Test func truncatedGzipIsMalformedData() throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: fixture.file("subset-images-idx3-ubyte.gz"))))
        try fixture.write("cut-images.gz", Array(bytes[0..<(bytes.count / 2)]))
        let out = try eval(["cut-images.gz", "--weights", "w.safetensors", "--labels", "subset-labels-idx1-ubyte.gz"])
        #expect(out.status == 65)
        #expect(out.stderr.contains("cut-images.gz: byte"))
        #expect(out.stdout.isEmpty)
    }

    @Test func helpDocumentsExitCodes() throws {
        let out = try eval(["--help"])
        #expect(out.status == 0)
        for code in ["64", "65", "66", "--min-accuracy", "--predictions", "--format"] { #expect(out.stdout.contains(code)) }
    }
}

/// The product as shipped: no arguments, from the repository root.
@Suite struct ShippedModelTests {
    @Test func evaluatesTheShippedTestSetByDefault() throws {
        let out = try CommandRunner.run("mnist-eval", ["--format", "json"])
        #expect(out.status == 0, "\(out.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        #expect(object["images"] as? Int == 10000)
        #expect(object["weights"] as? String == "built-in mnist-784-100-10")
        #expect(object["architecture"] as? [Int] == [784, 100, 10])
        // Issue requirement: at least 98.00% on t10k (sklearn's MLPClassifier((100,)) reaches 97.87%).
        let accuracy = try #require(object["accuracy"] as? Double)
        #expect(accuracy >= 0.98, "accuracy \(accuracy)")
    }

    /// Installed, the tools need no file of the repository's: the weights are
    /// built in, and the images are named.
    @Test func worksFromAnotherDirectoryWithTheBuiltInWeights() throws {
        let fixture = Fixture()
        let images = Repository.root + "/Data/t10k-images-idx3-ubyte.gz"
        let elsewhere = try CommandRunner.run("mnist-eval", [images, "--predictions", "p.csv"], in: fixture.path)
        let atRoot = try CommandRunner.run("mnist-eval", [images, "--predictions", fixture.file("root.csv")])
        #expect(elsewhere.status == 0, "\(elsewhere.stderr)")
        #expect(atRoot.status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: fixture.file("p.csv")))
                == Data(contentsOf: URL(fileURLWithPath: fixture.file("root.csv"))))
        #expect(elsewhere.stdout.contains("weights       built-in mnist-784-100-10"))
    }

    /// Without an argument, outside the package (a copy of the executable in
    /// a directory of its own), it says what it looked for.
    @Test func withoutImagesOutsideThePackageItSaysWhereItLooked() throws {
        let fixture = Fixture()
        let copy = fixture.file("mnist-eval")
        try FileManager.default.copyItem(atPath: CommandRunner.executable("mnist-eval"), toPath: copy)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: copy)
        process.currentDirectoryURL = URL(fileURLWithPath: fixture.path)
        let stderr = Pipe()
        process.standardError = stderr
        process.standardOutput = Pipe()
        try process.run()
        let message = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 66)
        #expect(message.hasPrefix("mnist-eval: error: no images file named, and the shipped test set is not here "
                                  + "(looked for Data/t10k-images-idx3-ubyte.gz"))
        #expect(message.contains("mnist-eval path/to/t10k-images-idx3-ubyte.gz"))
    }

    @Test func shippedWeightsCarryTheirRecipe() throws {
        let loaded = try Network.load(path: Repository.root + "/Data/mnist-784-100-10.safetensors")
        for key in ["activation", "input_mean", "input_std", "architecture", "seed", "validation_accuracy", "training_data_crc32"] {
            #expect(loaded.metadata[key] != nil, "missing metadata \(key)")
        }
    }
}
