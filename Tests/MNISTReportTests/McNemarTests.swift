import Foundation
import Testing
@testable import MNISTEvaluation
import MNISTPlumbing
@testable import MNISTReport

@Suite struct McNemarTests {
    /// Exact values: 2 · Σ_{k ≤ min} C(n, k) / 2ⁿ, as fractions.
    @Test(arguments: [
        (0, 5, 0.0625),                         // 2 / 2⁵
        (1, 9, 0.021484375),                    // 2 · (1 + 10) / 2¹⁰
        (2, 8, 0.109375),                       // 2 · (1 + 10 + 45) / 2¹⁰
        (3, 12, 0.03515625),                    // 2 · (1 + 15 + 105 + 455) / 2¹⁵
        (0, 2, 0.5),
        (0, 6, 0.03125),
    ] as [(Int, Int, Double)])
    func smallCountsGiveTheExactBinomialSum(_ b: Int, _ c: Int, _ expected: Double) {
        #expect(McNemar.exactPValue(b, c) == expected, "\(b), \(c)")
    }

    /// The integer sum (up to 60 discordant images) and the log-space sum
    /// (above) meet: at the limit the integer sum is exact, and at 61 and 70
    /// images the log-space value is within 10⁻¹³ of the exact fraction (a
    /// Python replica of it measured under 10⁻¹⁴).
    @Test func bothMethodsAgreeAtTheirBoundary() {
        // 2 · Σ_{k ≤ m} C(n, k) / 2ⁿ in exact fractions (Python), rounded to a Double.
        #expect(McNemar.exactPValue(20, 40) == 0.01348929373119186)
        #expect(abs(McNemar.exactPValue(20, 41) - 0.009853448195259264) < 0.009853448195259264 * 1e-13)
        #expect(abs(McNemar.exactPValue(25, 45) - 0.022462895492509277) < 0.022462895492509277 * 1e-13)
    }

    @Test(arguments: [(0, 5), (1, 9), (31, 103), (7, 20), (1_000, 1_100), (0, 1_000_000)] as [(Int, Int)])
    func isSymmetric(_ b: Int, _ c: Int) {
        #expect(McNemar.exactPValue(b, c) == McNemar.exactPValue(c, b))
    }

    /// Equal counts, nothing discordant, or counts one apart (the lower tail
    /// then holds exactly half): no evidence of a difference.
    @Test(arguments: [(0, 0), (1, 1), (5, 5), (1_000_000, 1_000_000), (0, 1), (4, 5), (2_147_483_647, 2_147_483_646),
                      (Int(Int32.max), Int(Int32.max))] as [(Int, Int)])
    func isOneWithoutEvidence(_ b: Int, _ c: Int) {
        #expect(McNemar.exactPValue(b, c) == 1)
    }

    /// Against the same sum in 50-digit arithmetic (mpmath: log-gamma of the
    /// largest term, then the term ratios), up to counts near the IDX limit.
    @Test(arguments: [
        (31, 103, 3.179542049997831e-10),
        (100, 160, 0.00023894190306814023),
        (1_000_000, 1_003_000, 0.03408836507943938),
        (300_000_000, 300_040_000, 0.10249047013688292),
        (1_073_741_824, 1_073_811_824, 0.13091669167804293),
        (2_147_483_647, 2_147_383_647, 0.12703940079945755),
        (2_147_483_647, 2_147_183_647, 4.699335236985681e-06),
    ] as [(Int, Int, Double)])
    func largeCountsMatchHighPrecisionArithmetic(_ b: Int, _ c: Int, _ expected: Double) {
        let p = McNemar.exactPValue(b, c)
        #expect(abs(p - expected) <= expected * 1e-12, "\(b), \(c): \(p) vs \(expected)")
    }

    /// At large counts the binomial approaches the normal: with continuity
    /// correction, p ≈ erfc((|b − c| − 1) / √(2(b + c))). The approximation's
    /// own error shrinks like 1/n (measured: 8·10⁻⁴ at n = 2,100, 1·10⁻⁷ at
    /// 2·10⁶, 2·10⁻¹⁰ at 4.3·10⁹).
    @Test(arguments: [
        (1_000, 1_100, 2e-3),
        (1_000_000, 1_002_000, 1e-6),
        (10_000_000, 10_008_000, 1e-7),
        (2_147_483_647, 2_147_363_647, 1e-9),
    ] as [(Int, Int, Double)])
    func largeCountsAgreeWithTheNormalApproximation(_ b: Int, _ c: Int, _ tolerance: Double) {
        let p = McNemar.exactPValue(b, c)
        let normal = erfc((Double(abs(b - c)) - 1) / (2 * Double(b + c)).squareRoot())
        #expect(abs(p - normal) <= p * tolerance, "\(b), \(c): exact \(p), normal \(normal)")
    }

    /// A p-value too small for a Double underflows to 0, never to NaN.
    @Test func extremeCountsUnderflowToZero() {
        #expect(McNemar.exactPValue(0, 2_147_483_647) == 0)
        #expect(McNemar.exactPValue(5, 2_147_483_647) == 0)
        #expect(McNemar.exactPValue(0, 1_100) == 0)
        #expect(McNemar.exactPValue(0, 1_000) > 0)
    }
}

@Suite struct PairedDifferenceTests {
    /// Newcombe's method 10 on the two paired tables of Fagerland, Lydersen
    /// and Laake's chapter on paired 2×2 tables (Bentur 2009: 1, 1, 7, 12;
    /// Cavo 2012: 59, 6, 16, 80), as the second measurement minus the first;
    /// expected values from an independent Python implementation of the
    /// published formula.
    @Test(arguments: [
        ((1, 7, 1, 12), 0.2857142857142857, 0.02555912416485978, 0.506920226686141),
        ((59, 16, 6, 80), 0.06211180124223603, 0.004625113933050047, 0.11862119563870992),
        ((9_763, 130, 18, 89), 0.0112, 0.008893096378656465, 0.013709071943195011),
        ((9_800, 20, 20, 160), 0, -0.001308213448908699, 0.001308213448908699),
        ((10, 0, 0, 0), 0, -0.27753279986288926, 0.27753279986288926),
    ] as [((Int, Int, Int, Int), Double, Double, Double)])
    func matchesTheFormula(_ table: (Int, Int, Int, Int), _ estimate: Double, _ lower: Double, _ upper: Double) {
        let interval = PairedDifference.newcombe95(bothRight: table.0, nowOnly: table.1, beforeOnly: table.2, bothWrong: table.3)
        #expect(abs(interval.lower - lower) < 1e-12 && abs(interval.upper - upper) < 1e-12, "\(table): \(interval)")
        #expect(interval.lower <= estimate && estimate <= interval.upper)
    }

    @Test func staysInsideMinusOneToOne() {
        let all = PairedDifference.newcombe95(bothRight: 0, nowOnly: 20, beforeOnly: 0, bothWrong: 0)
        #expect(all.lower > 0 && all.upper == 1)
        let none = PairedDifference.newcombe95(bothRight: 0, nowOnly: 0, beforeOnly: 20, bothWrong: 0)
        #expect(none.lower == -1 && none.upper < 0)
        #expect(PairedDifference.newcombe95(bothRight: 0, nowOnly: 0, beforeOnly: 0, bothWrong: 0) == .init(lower: -1, upper: 1))
    }

    /// Counts near the IDX limit overflow no integer product.
    @Test func largeCountsGiveAFiniteNarrowInterval() {
        let interval = PairedDifference.newcombe95(bothRight: 2_000_000_000, nowOnly: 100_000, beforeOnly: 90_000, bothWrong: 47_383_647)
        #expect(interval.lower.isFinite && interval.upper.isFinite)
        #expect(interval.lower < 10_000.0 / 2_047_573_647 && 10_000.0 / 2_047_573_647 < interval.upper)
        #expect(interval.upper - interval.lower < 0.0001)
    }
}
