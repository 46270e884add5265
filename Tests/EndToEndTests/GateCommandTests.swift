import Foundation
import Testing
import MNISTNetwork
import TestSupport

/// The CI gate as a pipeline runs it: a baseline (an earlier run's CSV or a
/// second network), gates at their boundaries, exit codes, and the files for
/// the CI system.
@Suite struct GateCommandTests {
    let fixture: Fixture
    static let shippedWeights = Repository.root + "/Data/mnist-784-100-10.safetensors"
    static let images = "subset-images-idx3-ubyte.gz"

    /// 60 t10k images (the shipped network gets all 60 right), a poor
    /// 784-16-10 network (`w.safetensors`), and the shipped network's
    /// predictions as a baseline CSV (`shipped.csv`).
    init() throws {
        fixture = Fixture()
        try fixture.writeSubset(count: 60)
        try fixture.writeWeights()
        let out = try eval([Self.images, "--predictions", "shipped.csv", "--quiet"])
        #expect(out.status == 0, "\(out.stderr)")
    }

    func eval(_ arguments: [String]) throws -> CommandRunner.Output {
        try CommandRunner.run("mnist-eval", arguments, in: fixture.path)
    }

    func json(_ out: CommandRunner.Output) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
    }

    func text(_ name: String) throws -> String { try String(contentsOfFile: fixture.file(name), encoding: .utf8) }

    @Test func theSameNetworkAsItsBaselineChangesNothingAndPassesAtEquality() throws {
        let out = try eval([Self.images, "--baseline", "shipped.csv", "--max-drop", "0", "--min-accuracy", "1",
                            "--min-recall", "1", "--format", "json"])
        #expect(out.status == 0, "\(out.stderr)")
        let report = try json(out)
        let comparison = try #require(report["comparison"] as? [String: Any])
        #expect(comparison["baseline"] as? String == "shipped.csv")
        #expect(comparison["baseline_accuracy"] as? Double == 1)
        #expect(comparison["accuracy_delta"] as? Double == 0)
        #expect(comparison["regressions"] as? Int == 0 && comparison["fixes"] as? Int == 0)
        #expect(comparison["p_value"] as? Double == 1)
        #expect((comparison["regressed_images"] as? [Any])?.isEmpty == true)
        let gates = try #require(report["gates"] as? [[String: Any]])
        #expect(gates.count == 12 && gates.allSatisfy { $0["passed"] as? Bool == true })
        #expect(gates.map { $0["name"] as? String } == ["min-accuracy", "max-drop"] + (0..<10).map { "recall-\($0)" })
    }

    @Test func aCSVBaselineAndTheSameNetworkAsBaselineWeightsGiveTheSameComparison() throws {
        let fromCSV = try eval([Self.images, "--weights", "w.safetensors", "--baseline", "shipped.csv", "--format", "json"])
        let fromWeights = try eval([Self.images, "--weights", "w.safetensors", "--baseline-weights", Self.shippedWeights,
                                    "--format", "json"])
        #expect(fromCSV.status == 0 && fromWeights.status == 0, "\(fromCSV.stderr) \(fromWeights.stderr)")
        var a = try #require(try json(fromCSV)["comparison"] as? [String: Any])
        var b = try #require(try json(fromWeights)["comparison"] as? [String: Any])
        #expect(a.removeValue(forKey: "baseline") as? String == "shipped.csv")
        #expect(b.removeValue(forKey: "baseline") as? String == Self.shippedWeights)
        #expect(NSDictionary(dictionary: a) == NSDictionary(dictionary: b))
        #expect((a["regressions"] as? Int ?? 0) > 30)
        let text = try eval([Self.images, "--weights", "w.safetensors", "--baseline-weights", Self.shippedWeights]).stdout
        #expect(text.contains("\n  baseline      \(Self.shippedWeights) (784-100-10, relu, mean 0.0, std 1.0)\n"))
    }

    @Test func aSignificantDropFailsWithExitOneAndWritesTheCIFiles() throws {
        let out = try eval([Self.images, "--weights", "w.safetensors", "--baseline", "shipped.csv", "--max-drop", "0.05",
                            "--junit", "junit.xml", "--summary", "summary.md", "--regressions", "regressions.png",
                            "--max-images", "5"])
        #expect(out.status == 1)
        #expect(out.stderr.hasPrefix("mnist-eval: error: accuracy fell "))
        #expect(out.stderr.contains(" points, more than --max-drop 5.00 points, and significantly: McNemar p < 0.0001 ≤ --alpha 0.05\n"))
        #expect(out.stdout.contains("\ncompared with baseline\n  baseline      shipped.csv (predictions CSV)\n"))
        #expect(out.stdout.contains("\ngates (the gate failed)\n") || out.stdout.contains("\ngates (1 of 1 failed)\n"))
        let junit = try text("junit.xml")
        // The first 60 images have no 8: its case is skipped.
        #expect(junit.contains("<testsuite name=\"mnist-eval\" tests=\"11\" failures=\"1\" errors=\"0\" skipped=\"1\""))
        #expect(junit.contains("<failure message=\"accuracy fell "))
        #expect(try text("summary.md").hasPrefix("### mnist-eval: 1 of 1 gate failed ❌\n"))
        let png = try Data(contentsOf: URL(fileURLWithPath: fixture.file("regressions.png")))
        #expect(png.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
    }

    @Test func onTheDropAloneTheLineSaysSo() throws {
        let out = try eval([Self.images, "--weights", "w.safetensors", "--baseline", "shipped.csv", "--max-drop", "0.05",
                            "--alpha", "1", "--format", "json"])
        #expect(out.status == 1)
        #expect(out.stderr.hasSuffix(" points, more than --max-drop 5.00 points (gated on the drop alone: --alpha 1)\n"))
    }

    @Test func theSummaryIsAppendedAsGitHubExpects() throws {
        try fixture.write("summary.md", Array("# Earlier step\n\n".utf8))
        for _ in 0..<2 {
            let out = try eval([Self.images, "--baseline", "shipped.csv", "--summary", "summary.md", "--min-accuracy", "0.9"])
            #expect(out.status == 0, "\(out.stderr)")
        }
        let summary = try text("summary.md")
        #expect(summary.hasPrefix("# Earlier step\n\n### mnist-eval: the gate passed ✅\n"))
        #expect(summary.components(separatedBy: "### mnist-eval: the gate passed ✅\n").count == 3)
    }

    @Test func aBaselineOfOtherImagesIsExit65NamingTheFileAndTheRow() throws {
        // Another count: the first 59 images' predictions.
        let rows = try text("shipped.csv").split(separator: "\n", omittingEmptySubsequences: false)
        try fixture.write("short.csv", Array((rows.prefix(60).joined(separator: "\n") + "\n").utf8))
        // Another label at image 6.
        var relabelled = rows
        let fields = relabelled[7].split(separator: ",")
        relabelled[7] = "\(fields[0]),\((Int(fields[1])! + 1) % 10),\(fields[2]),\(fields[3])"
        try fixture.write("relabelled.csv", Array(relabelled.joined(separator: "\n").utf8))
        let label = Int(fields[1])!
        for (file, message) in [
            ("short.csv", "short.csv: line 61: the baseline ends after 59 images; expected a row for each of the 60 images, found end of file"),
            ("relabelled.csv", "relabelled.csv: line 8: image 6 has another label than in the images' labels file; "
                + "expected \(label), found \((label + 1) % 10)"),
            (Self.images, "\(Self.images): line 1: not a predictions CSV; expected the header index,label,predicted,confidence, "
                + "found \"\\x00\\x00\\x08\\x03\\x00\\x00\\x00<\\x00\\x00\\x00\\x1c\\x00\\x00\\x00\\x1c\\x00\\x00\\x00"),
        ] {
            let out = try eval([Self.images, "--baseline", file, "--predictions", "out.csv"])
            #expect(out.status == 65, "\(file): \(out.stderr)")
            #expect(out.stderr.hasPrefix("mnist-eval: error: \(message)"), "\(out.stderr)")
            #expect(out.stdout.isEmpty)
            #expect(!FileManager.default.fileExists(atPath: fixture.file("out.csv")))
        }
        let missing = try eval([Self.images, "--baseline", "missing.csv"])
        #expect(missing.status == 66)
        #expect(missing.stderr == "mnist-eval: error: missing.csv: cannot open: No such file or directory\n")
    }

    @Test(arguments: [
        (["--max-drop", "0.01"], "--max-drop compares with a baseline; add --baseline FILE.csv or --baseline-weights FILE"),
        (["--baseline", "shipped.csv", "--alpha", "0.01"], "--alpha is the significance level of --max-drop, and none is given"),
        (["--baseline", "shipped.csv", "--max-drop", "0.01", "--alpha", "0"], "--alpha is a significance level above 0 and at most 1"),
        (["--baseline", "shipped.csv", "--max-drop", "2"], "--max-drop is a fraction between 0 and 1"),
        (["--baseline", "shipped.csv", "--baseline-weights", "w.safetensors"], "--baseline and --baseline-weights each name a baseline"),
        (["--baseline-activation", "tanh"], "--baseline-activation applies to the network of --baseline-weights, and none is given"),
        (["--regressions", "r.png"], "--regressions draws the images a baseline got right; add --baseline or --baseline-weights"),
        (["--min-recall", "12=0.5"], "--min-recall D=R names a digit 0...9; got 12"),
        (["--min-recall", "3=0.5", "--min-recall", "3=0.6"], "--min-recall 3=R is given twice"),
        (["--min-recall", "1.5"], "--min-recall R takes a fraction between 0 and 1 (e.g. 0.97); got 1.5"),
        (["--min-recall", "x"], "The value 'x' is invalid for '--min-recall <R|D=R>'"),
    ] as [([String], String)])
    func inconsistentOptionsAreUsageErrors(_ arguments: [String], _ message: String) throws {
        let out = try eval([Self.images] + arguments)
        #expect(out.status == 64, "\(arguments): \(out.stderr)")
        #expect(out.stderr.hasPrefix("mnist-eval: error: \(message)"), "\(out.stderr)")
    }

    @Test func aBaselineNeedsLabels() throws {
        try FileManager.default.copyItem(atPath: fixture.file(Self.images), toPath: fixture.file("digits.gz"))
        let out = try eval(["digits.gz", "--baseline", "shipped.csv"])
        #expect(out.status == 66)
        #expect(out.stderr.contains("digits.gz: --baseline needs labels"))
    }

    @Test func helpSaysWhichOfTheTwoAMaxDropRunGatesOn() throws {
        let help = try eval(["--help"]).stdout
        #expect(help.contains("\nBASELINE:\n"))
        for option in ["--baseline <file.csv>", "--baseline-weights <path>", "--max-drop <fraction>", "--alpha <level>",
                       "--min-recall <R|D=R>", "--junit <file.xml>", "--summary <file.md>", "--regressions <file.png>"] {
            #expect(help.contains(option), "\(option)")
        }
        let flattened = help.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(flattened.contains("By default the run gates on the drop and its significance"))
        #expect(flattened.contains("With --alpha 1 it gates on the drop alone."))
        #expect(flattened.contains("1 a gate failed: --min-accuracy, --max-drop or --min-recall"))
    }
}
