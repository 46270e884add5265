import Testing
import TestSupport

/// The fuzz targets are built by every `swift build`, without libFuzzer:
/// they must then explain themselves and exit 64 instead of fuzzing.
@Suite struct FuzzTargetTests {
    @Test(arguments: ["fuzz-gzip", "fuzz-idx", "fuzz-weights", "fuzz-pairing", "fuzz-image"])
    func withoutLibFuzzerTheTargetSaysHowToBuildIt(target: String) throws {
        let out = try CommandRunner.run(target, [])
        #expect(out.status == 64)
        #expect(out.stderr.contains("-sanitize=fuzzer,address -Xswiftc -DFUZZING --product \(target)"), "\(out.stderr)")
        #expect(out.stdout.isEmpty)
    }
}
