import Testing
@testable import MNISTEvaluation
import MNISTPlumbing
@testable import MNISTReport

@Suite struct TextReportTests {
    /// 9812 correct out of 10000: a thousand of each digit, of which the
    /// first 188 twos are read as threes.
    static var tenThousand: EvaluationResult {
        let labels: [UInt8] = (0..<10_000).map { UInt8($0 % 10) }
        let twos = labels.indices.filter { labels[$0] == 2 }.prefix(188)
        var predictions = labels
        for index in twos { predictions[index] = 3 }
        return .fixture(predictions: predictions, labels: labels)
    }

    @Test func accuracyLineShowsPercentCountsAndWilsonInterval() {
        // Wilson(9812, 10000) = (0.978347..., 0.983683...), see WilsonIntervalTests.
        let metrics = Self.tenThousand.metrics!
        #expect(metrics.correct == 9812)
        #expect(TextReport.accuracyLine(metrics) == "accuracy: 98.12% (9812/10000), 95% CI [97.83%, 98.37%]")
        #expect(TextReport.render(Self.tenThousand).contains("\naccuracy: 98.12% (9812/10000), 95% CI [97.83%, 98.37%]\n"))
    }

    @Test func timingLineGroupsThousandsAndNamesThreadsAndBatch() {
        // 10000 images / 0.041 s = 243902.4 images/s.
        #expect(TextReport.timingLine(Self.tenThousand) == "time: 0.041 s, 243,902 images/s, 2 threads, batch 256")
    }

    @Test func timingLineSaysOneThreadAndNoRateWithoutATime() {
        let result = EvaluationResult.fixture(predictions: [1], labels: nil, seconds: 0, threads: 1)
        #expect(TextReport.timingLine(result) == "time: 0.000 s, n/a images/s, 1 thread, batch 256")
    }

    @Test func labelledReportIsExactlyAsExpected() {
        let expected = """
            inputs
              images        data/t10k-images-idx3-ubyte.gz (20 images)
              labels        data/t10k-labels-idx1-ubyte.gz
              weights       weights/mnist-784-100-10.safetensors
              architecture  784-100-10
              activation    relu
              input         mean 0.1307, std 0.3081

            accuracy: 85.00% (17/20), 95% CI [63.96%, 94.76%]

            per class
              digit  precision    recall        F1  support
                  0    100.00%   100.00%   100.00%        2
                  1     66.67%   100.00%    80.00%        2
                  2    100.00%   100.00%   100.00%        2
                  3    100.00%   100.00%   100.00%        2
                  4     50.00%    50.00%    50.00%        2
                  5    100.00%   100.00%   100.00%        2
                  6    100.00%   100.00%   100.00%        2
                  7    100.00%    50.00%    66.67%        2
                  8    100.00%   100.00%   100.00%        2
                  9     50.00%    50.00%    50.00%        2

            confusion matrix (rows: true digit, columns: predicted digit)
                  0   1   2   3   4   5   6   7   8   9
              0   2   0   0   0   0   0   0   0   0   0
              1   0   2   0   0   0   0   0   0   0   0
              2   0   0   2   0   0   0   0   0   0   0
              3   0   0   0   2   0   0   0   0   0   0
              4   0   0   0   0   1   0   0   0   0   1
              5   0   0   0   0   0   2   0   0   0   0
              6   0   0   0   0   0   0   2   0   0   0
              7   0   1   0   0   0   0   0   1   0   0
              8   0   0   0   0   0   0   0   0   2   0
              9   0   0   0   0   1   0   0   0   0   1

            most frequent confusions (true → predicted)
              4 → 9: 1
              7 → 1: 1
              9 → 4: 1

            time: 0.041 s, 488 images/s, 2 threads, batch 256

            """
        #expect(TextReport.render(.twentyLabelled) == expected)
    }

    @Test func unlabeledReportShowsHistogramAndNoAccuracy() {
        let predictions: [UInt8] = [0, 1, 1, 2, 2, 2, 9, 9]
        let text = TextReport.render(.fixture(predictions: predictions, labels: nil))
        #expect(text.contains("  labels        none (no labels file found; pass --labels)\n"))
        #expect(text.contains("accuracy: not measured (no labels)\n"))
        #expect(text.contains("      2        3    37.50%\n"))
        #expect(!text.contains("confusion matrix"))
        #expect(!text.contains("WARNING"))
    }

    @Test func collapsedPredictionsPrintAWarningWithTheTrueShare() {
        let labels: [UInt8] = (0..<20).map { UInt8($0 % 10) }
        let text = TextReport.render(.fixture(predictions: Array(repeating: 7, count: 20), labels: labels))
        #expect(text.contains("\nWARNING: 100.00% of predictions are digit 7 (true share 10.00%);\n"))
    }

    @Test func healthyPredictionsPrintNoWarning() {
        #expect(!TextReport.render(.twentyLabelled).contains("WARNING"))
    }

    @Test func everyLineFitsInEightyColumnsForAMillionImages() {
        // Diagonal cells near 100,000 are the widest a balanced million-image set produces.
        let labels: [UInt8] = (0..<1_000_000).map { UInt8($0 % 10) }
        let text = TextReport.render(.fixture(predictions: labels, labels: labels))
        let widest = text.split(separator: "\n").map(\.count).max() ?? 0
        #expect(widest <= 80, "widest line is \(widest) columns")
    }
}

@Suite struct PercentsApartTests {
    @Test func usesTheFewestDecimalsThatTellTwoFractionsApart() {
        #expect(NumberFormat.percentsApart(0.9893, 0.98931) == ("98.930%", "98.931%"))
        #expect(NumberFormat.percentsApart(0.97, 0.98) == ("97.00%", "98.00%"))
        #expect(NumberFormat.percentsApart(0.5, 0.5) == ("50.00000000%", "50.00000000%"))
        #expect(NumberFormat.percentsApart(0.123456789, 0.12345679) == ("12.3456789%", "12.3456790%"))
    }
}

@Suite struct TextReportGateTests {
    @Test func comparisonBlockIsExactlyAsExpected() {
        let result = EvaluationResult.twentyCompared
        let expected = """
            compared with baseline
              baseline      runs/main.csv (predictions CSV)
              accuracy      85.00% now (17/20), 85.00% before (17/20)
              difference    0.00 points, 95% CI [-23.02, +23.02] (paired)
              regressions   2 (right before, wrong now)
              fixes         2 (wrong before, right now)
              McNemar       p = 1.0000 (exact, two-sided, on 4 changed images)
              regressed images
                index  label  before  after
                    4      4       4      9
                   19      9       9      4
            """
        #expect(TextReport.comparisonBlock(result.comparison!, metrics: result.metrics!).joined(separator: "\n") == expected)
    }

    @Test func aDropShowsItsSignAndListsTheFirstTenRegressions() {
        let result = EvaluationResult.thousandDropped()
        let lines = TextReport.comparisonBlock(result.comparison!, metrics: result.metrics!)
        #expect(lines[1] == "  baseline      old.safetensors (784-100-10, relu, mean 0.0, std 1.0)")
        #expect(lines[2] == "  accuracy      98.80% now (988/1000), 100.00% before (1000/1000)")
        #expect(lines[3] == "  difference    -1.20 points, 95% CI [-2.09, -0.56] (paired)")
        #expect(lines[6] == "  McNemar       p = 0.0005 (exact, two-sided, on 12 changed images)")
        #expect(lines[7] == "  first 10 of 12 regressed images")
        #expect(lines.count == 9 + 10)
        #expect(lines.last == "        9      9       9      0")
    }

    @Test func gatesBlockHasALinePerGatePassedOrFailed() {
        var result = EvaluationResult.twentyCompared
        result.gates = GateSettings(minAccuracy: 0.9, maxDrop: 0.01, minRecallByDigit: [4: 0.5])
        let expected = """
            gates (1 of 3 failed)
              FAILED  min-accuracy  accuracy 85.00% is below --min-accuracy 90.00%
              passed  max-drop      accuracy did not change (--max-drop 1.00 points)
              passed  recall-4      recall of digit 4 50.00% (1/2) is at least --min-recall 50.00%
            """
        #expect(TextReport.gatesBlock(result.gateOutcomes).joined(separator: "\n") == expected)
        let text = TextReport.render(result)
        let accuracy = text.range(of: "\naccuracy: 85.00%")!.lowerBound
        let compared = text.range(of: "\ncompared with baseline\n")!.lowerBound
        let gates = text.range(of: "\n\ngates (1 of 3 failed)\n")!.lowerBound
        let perClass = text.range(of: "\n\nper class\n")!.lowerBound
        #expect(accuracy < compared && compared < gates && gates < perClass)
    }

    @Test func aRunWithoutBaselineOrGatesPrintsNeither() {
        let text = TextReport.render(.twentyLabelled)
        #expect(!text.contains("compared with baseline") && !text.contains("gates"))
        #expect(TextReport.gatesBlock([]) == [])
    }

    @Test func oneGateThatPassedSaysSo() {
        var result = EvaluationResult.twentyLabelled
        result.gates = GateSettings(minAccuracy: 0.5)
        #expect(TextReport.gatesBlock(result.gateOutcomes)[0] == "gates (the gate passed)")
    }
}
