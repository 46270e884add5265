import Testing
@testable import MNISTEvaluation
import MNISTPlumbing
@testable import MNISTReport

/// The rule: at least 20 predictions, one class gets at least half of them
/// and, with labels, at least twice its true share.
@Suite struct CollapseTests {
    /// 20 images, two of each digit.
    let balancedLabels: [UInt8] = (0..<20).map { UInt8($0 % 10) }

    @Test func allPredictionsOnOneDigitIsACollapse() {
        let metrics = Metrics(predictions: Array(repeating: 7, count: 20), labels: balancedLabels)
        #expect(metrics.collapsedClass == 7)
    }

    @Test func accuratePredictionsAreNotACollapse() {
        #expect(Metrics(predictions: balancedLabels, labels: balancedLabels).collapsedClass == nil)
    }

    @Test func aSetThatReallyIsMostlyOneDigitIsNotACollapse() {
        let labels: [UInt8] = Array(repeating: 7, count: 15) + [0, 1, 2, 3, 4]
        #expect(Metrics(predictions: labels, labels: labels).collapsedClass == nil)
    }

    @Test func halfThePredictionsAtTwiceTheTrueShareIsACollapse() {
        // True share of 3 is 2/20 = 10%; it receives 10/20 = 50% of predictions.
        let predictions = balancedLabels.enumerated().map { $0.offset < 10 ? 3 : $0.element }
        #expect(Metrics(predictions: predictions, labels: balancedLabels).collapsedClass == 3)
    }

    @Test func fewerThanTwentyImagesAreNeverACollapse() {
        let predictions = [UInt8](repeating: 4, count: 19)
        #expect(Metrics(predictions: predictions, labels: Array(balancedLabels.prefix(19))).collapsedClass == nil)
        #expect(Metrics.collapsedClass(predicted: [0, 0, 0, 0, 19], truth: nil) == nil)
    }

    @Test func withoutLabelsThePredictionShareAloneDecides() {
        #expect(Metrics.collapsedClass(predicted: [1, 1, 0, 18, 0, 0, 0, 0, 0, 0], truth: nil) == 3)
        #expect(Metrics.collapsedClass(predicted: [2, 2, 2, 2, 2, 2, 2, 2, 2, 2], truth: nil) == nil)
    }
}
