import Testing
@testable import MNISTEvaluation
import MNISTPlumbing
@testable import MNISTReport

/// Expected bounds come from the reference formula in Python (double precision):
///
///     z = 1.959963984540054
///     def wilson(s, n):
///         p = s / n; d = 1 + z*z/n; c = (p + z*z/(2*n)) / d
///         h = z / d * math.sqrt(p*(1-p)/n + z*z/(4*n*n)); return (c - h, c + h)
///
/// wilson(9812, 10000) = (0.9783473383077018, 0.983683101660359)
/// wilson(7, 10)       = (0.39677814746114537, 0.8922087325936989)
/// wilson(0, 10)       = (0.0, 0.2775327998628892)
/// wilson(10, 10)      = (0.7224672001371107, 0.9999999999999999)  (we pin 1 exactly)
/// wilson(1, 1)        = (0.20654931437723745, 1.0)
@Suite struct WilsonIntervalTests {
    static let cases: [(successes: Int, trials: Int, lower: Double, upper: Double)] = [
        (9812, 10000, 0.9783473383077018, 0.983683101660359),
        (7, 10, 0.39677814746114537, 0.8922087325936989),
        (0, 10, 0, 0.2775327998628892),
        (10, 10, 0.7224672001371107, 1),
        (1, 1, 0.20654931437723745, 1),
    ]

    @Test(arguments: cases)
    func matchesTheReferenceFormula(_ c: (successes: Int, trials: Int, lower: Double, upper: Double)) {
        let (lower, upper) = WilsonInterval.interval(successes: c.successes, trials: c.trials)
        #expect(abs(lower - c.lower) < 1e-12, "lower \(lower) vs \(c.lower)")
        #expect(abs(upper - c.upper) < 1e-12, "upper \(upper) vs \(c.upper)")
    }

    @Test func noSuccessesGivesALowerBoundOfExactlyZero() {
        #expect(WilsonInterval.interval(successes: 0, trials: 1000).lower == 0)
    }

    @Test func allSuccessesGivesAnUpperBoundOfExactlyOne() {
        #expect(WilsonInterval.interval(successes: 10, trials: 10).upper == 1)
        #expect(WilsonInterval.interval(successes: 9999, trials: 9999).upper == 1)
    }

    @Test func zeroTrialsGivesTheWholeRange() {
        let (lower, upper) = WilsonInterval.interval(successes: 0, trials: 0)
        #expect(lower == 0 && upper == 1)
    }

    @Test func intervalContainsTheObservedProportion() {
        let (lower, upper) = WilsonInterval.interval(successes: 9812, trials: 10000)
        #expect(lower < 0.9812 && 0.9812 < upper)
    }
}
