import Testing
@testable import MNISTEvaluation
import MNISTPlumbing
@testable import MNISTReport

/// A 10-image, 4-class example worked by hand.
///
///     labels      0 0 0 0 1 1 2 2 2 2
///     predictions 0 0 0 1 1 1 2 0 0 1
///
/// confusion [true][predicted]:  0: [3 1 0 0]   support 4
///                               1: [0 2 0 0]   support 2
///                               2: [2 1 1 0]   support 4
///                               3: [0 0 0 0]   support 0
/// predicted counts 5 4 1 0, correct 3 + 2 + 1 = 6.
/// precision 3/5, 2/4, 1/1, 0/0 := 0; recall 3/4, 2/2, 1/4, 0/0 := 0
/// F1 = 2pr/(p+r): 2/3, 2/3, 0.4, 0.
@Suite struct MetricsTests {
    let metrics = Metrics(predictions: [0, 0, 0, 1, 1, 1, 2, 0, 0, 1],
                          labels: [0, 0, 0, 0, 1, 1, 2, 2, 2, 2], classCount: 4)

    @Test func countsCorrectPredictionsAndAccuracy() {
        #expect(metrics.images == 10)
        #expect(metrics.correct == 6)
        #expect(metrics.accuracy == 0.6)
        #expect(metrics.wilson95 == .wilson95(successes: 6, trials: 10))
    }

    @Test func confusionIsIndexedTrueThenPredicted() {
        #expect(metrics.confusion == [[3, 1, 0, 0], [0, 2, 0, 0], [2, 1, 1, 0], [0, 0, 0, 0]])
    }

    @Test func perClassPrecisionRecallAndF1MatchTheHandComputation() {
        let expected: [(precision: Double, recall: Double, f1: Double, support: Int, predicted: Int)] = [
            (0.6, 0.75, 2.0 / 3, 4, 5), (0.5, 1, 2.0 / 3, 2, 4), (1, 0.25, 0.4, 4, 1), (0, 0, 0, 0, 0),
        ]
        #expect(metrics.perClass.map(\.digit) == [0, 1, 2, 3])
        for (entry, want) in zip(metrics.perClass, expected) {
            #expect(abs(entry.precision - want.precision) < 1e-12, "precision of \(entry.digit)")
            #expect(abs(entry.recall - want.recall) < 1e-12, "recall of \(entry.digit)")
            #expect(abs(entry.f1 - want.f1) < 1e-12, "F1 of \(entry.digit)")
            #expect(entry.support == want.support && entry.predicted == want.predicted)
        }
    }

    @Test func topConfusionsAreSortedByCountThenTrueThenPredicted() {
        #expect(metrics.topConfusions == [
            Confusion(trueLabel: 2, predicted: 0, count: 2),
            Confusion(trueLabel: 0, predicted: 1, count: 1),
            Confusion(trueLabel: 2, predicted: 1, count: 1),
        ])
    }

    @Test func perfectPredictionsHaveNoConfusions() {
        let perfect = Metrics(predictions: [0, 1, 2], labels: [0, 1, 2], classCount: 3)
        #expect(perfect.accuracy == 1)
        #expect(perfect.topConfusions.isEmpty)
        #expect(perfect.perClass.allSatisfy { $0.f1 == 1 })
    }

    @Test func emptyRunHasZeroAccuracyAndNoNaN() {
        let empty = Metrics(predictions: [], labels: [])
        #expect(empty.images == 0 && empty.accuracy == 0)
        #expect(empty.wilson95 == ConfidenceInterval(lower: 0, upper: 1))
        #expect(empty.perClass.allSatisfy { $0.precision == 0 && $0.recall == 0 && $0.f1 == 0 })
        #expect(empty.confusion.count == 10 && empty.collapsedClass == nil)
    }
}
