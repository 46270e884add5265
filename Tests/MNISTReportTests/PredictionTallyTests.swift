import Testing
import MNISTEvaluation
import MNISTPlumbing
import MNISTReport

@Suite struct PredictionTallyTests {
    @Test func countsPredictionsAndConfusion() {
        var tally = PredictionTally(classCount: 3, labeled: true)
        for (predicted, label) in [(0, 0), (1, 0), (2, 2), (1, 1), (1, 2)] as [(UInt8, UInt8)] {
            tally.add(predicted: predicted, label: label)
        }
        #expect(tally.images == 5)
        #expect(tally.predictedHistogram == [1, 3, 1])
        #expect(tally.confusion == [[1, 1, 0], [0, 1, 0], [0, 1, 1]])
    }

    @Test func unlabeledTallyHasNoConfusion() {
        let tally = PredictionTally(predictions: [3, 3, 9], labels: nil, classCount: 10)
        #expect(tally.confusion == nil)
        #expect(tally.predictedHistogram[3] == 2 && tally.images == 3)
    }

    @Test func metricsFromTheTallyEqualMetricsFromTheArrays() {
        let labels: [UInt8] = (0..<50).map { UInt8($0 % 10) }
        let predictions: [UInt8] = labels.enumerated().map { $0.offset % 7 == 0 ? UInt8(($0.element + 1) % 10) : $0.element }
        let tally = PredictionTally(predictions: predictions, labels: labels, classCount: 10)
        #expect(Metrics(confusion: tally.confusion!) == Metrics(predictions: predictions, labels: labels))
    }
}
