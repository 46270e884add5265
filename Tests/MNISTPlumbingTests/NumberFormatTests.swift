import Testing
@testable import MNISTPlumbing

@Suite struct TextTests {
    @Test func trimsSpacesAndTabsOnly() {
        #expect(NumberFormat.trimmed(" \t0.25 \t") == "0.25")
        #expect(NumberFormat.trimmed("a b") == "a b")
        #expect(NumberFormat.trimmed(" \t ") == "")
    }

    /// snprintf's rounding of the exact binary value: 2.5 and 0.125 are exact
    /// and round half to even, 0.015 is just below its decimal spelling.
    @Test(arguments: [
        (2.5, 0, "2"), (3.5, 0, "4"), (0.125, 2, "0.12"), (0.015, 2, "0.01"),
        (98.93, 2, "98.93"), (0.041, 3, "0.041"), (7, 3, "7.000"), (-1.25, 1, "-1.2"),
    ] as [(Double, Int, String)])
    func fixedRoundsLikeC(value: Double, decimals: Int, expected: String) {
        #expect(NumberFormat.fixed(value, decimals: decimals) == expected)
    }

    @Test func fixedDropsTheSignOfARoundedZero() {
        #expect(NumberFormat.fixed(-0.0001, decimals: 2) == "0.00")
        #expect(NumberFormat.fixed(-0.0, decimals: 0) == "0")
        #expect(NumberFormat.fixed(-0.006, decimals: 2) == "-0.01")
    }

    @Test func fixedSpellsNonFiniteValues() {
        #expect(NumberFormat.fixed(.nan, decimals: 2) == "nan")
        #expect(NumberFormat.fixed(.infinity, decimals: 2) == "inf")
        #expect(NumberFormat.fixed(-.infinity, decimals: 2) == "-inf")
    }

    /// Longer than the first 64-byte buffer: 1e80 has 81 digits before the point.
    @Test func fixedGrowsItsBufferForLongNumbers() {
        let text = NumberFormat.fixed(1e80, decimals: 2)
        #expect(text.count == 84 && text.hasPrefix("1000000000000000") && text.hasSuffix(".00"))
    }
}
