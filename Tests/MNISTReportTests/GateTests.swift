import Testing
@testable import MNISTEvaluation
import MNISTPlumbing
@testable import MNISTReport

/// Each gate at its boundary (equal to the threshold passes), and the lines
/// the reports print for it.
@Suite struct GateTests {
    func outcomes(_ result: EvaluationResult, _ gates: GateSettings) -> [GateOutcome] {
        var result = result
        result.gates = gates
        return result.gateOutcomes
    }

    @Test func minAccuracyPassesAtEqualityAndFailsJustAbove() throws {
        // 17/20 = 0.85 exactly as a Double, as the literal is.
        let equal = try #require(outcomes(.twentyLabelled, GateSettings(minAccuracy: 0.85)).first)
        #expect(equal == GateOutcome(name: "min-accuracy", value: 0.85, threshold: 0.85, passed: true,
                                     message: "accuracy 85.00% is at least --min-accuracy 85.00%"))
        let above = try #require(outcomes(.twentyLabelled, GateSettings(minAccuracy: 0.85001)).first)
        #expect(!above.passed)
        #expect(above.message == "accuracy 85.000% is below --min-accuracy 85.001%")
    }

    @Test func recallGatesPerDigitWithOverrides() {
        // Digits 4, 7 and 9 have recall 1/2; the others 2/2.
        let gates = GateSettings(minRecall: 0.5, minRecallByDigit: [9: 0.6, 0: 1])
        let result = outcomes(.twentyLabelled, gates)
        #expect(result.map(\.name) == (0..<10).map { "recall-\($0)" })
        #expect(result.filter { !$0.passed }.map(\.name) == ["recall-9"])
        #expect(result[4].message == "recall of digit 4 50.00% (1/2) is at least --min-recall 50.00%")
        #expect(result[0].message == "recall of digit 0 100.00% (2/2) is at least --min-recall 100.00%")
        #expect(result[9].message == "recall of digit 9 50.00% (1/2) is below --min-recall 60.00%")
        #expect(result[9].value == 0.5 && result[9].threshold == 0.6)
    }

    @Test func onlyDigitsWithAThresholdAreGated() {
        let result = outcomes(.twentyLabelled, GateSettings(minRecallByDigit: [7: 0.5]))
        #expect(result.map(\.name) == ["recall-7"])
        #expect(result[0].passed)
    }

    @Test func aDigitWithNoImagesIsSkippedNotFailed() {
        let labels: [UInt8] = [0, 1, 1, 2]
        let result = outcomes(.fixture(predictions: labels, labels: labels), GateSettings(minRecall: 0.9))
        #expect(result[3].skipped && result[3].passed && result[3].value == nil)
        #expect(result[3].message == "no images of digit 3: its recall is not measured (--min-recall 90.00%)")
    }

    @Test func maxDropPassesAtEqualityEvenWhenSignificant() throws {
        let result = EvaluationResult.thousandDropped(gates: GateSettings(maxDrop: 0.012))
        let gate = try #require(result.gateOutcomes.first)
        #expect(gate.name == "max-drop" && gate.value == 0.012 && gate.passed)
        #expect(gate.message == "accuracy fell 1.20 points, not more than --max-drop 1.20 points")
        #expect(result.comparison!.pValue == 2.0 / 4096)
    }

    @Test func maxDropFailsOnASignificantDropLargerThanTheLimit() throws {
        let gate = try #require(EvaluationResult.thousandDropped(gates: GateSettings(maxDrop: 0.01)).gateOutcomes.first)
        #expect(!gate.passed)
        #expect(gate.message == "accuracy fell 1.20 points, more than --max-drop 1.00 points, "
                + "and significantly: McNemar p = 0.0005 ≤ --alpha 0.05")
    }

    /// The same drop with a stricter alpha is noise: p is above it.
    @Test func maxDropPassesWhenTheDropIsNotSignificant() throws {
        let gate = try #require(EvaluationResult.thousandDropped(gates: GateSettings(maxDrop: 0.01, alpha: 0.0004)).gateOutcomes.first)
        #expect(gate.passed)
        #expect(gate.message == "accuracy fell 1.20 points, more than --max-drop 1.00 points, "
                + "but not significantly: McNemar p = 0.0005 > --alpha 0.0004")
    }

    /// p equal to alpha is significant (p ≤ alpha), as a threshold is met at equality.
    @Test func pEqualToAlphaIsSignificant() throws {
        let gate = try #require(EvaluationResult.thousandDropped(gates: GateSettings(maxDrop: 0.01, alpha: 2.0 / 4096))
            .gateOutcomes.first)
        #expect(!gate.passed)
        #expect(gate.message.hasSuffix("and significantly: McNemar p = 0.00048828125 ≤ --alpha 0.00048828125"))
    }

    @Test func alphaOneGatesOnTheDropAlone() throws {
        let settings = GateSettings(maxDrop: 0.01, alpha: 1)
        #expect(settings.gatesOnDropAlone)
        let gate = try #require(EvaluationResult.thousandDropped(gates: settings).gateOutcomes.first)
        #expect(!gate.passed)
        #expect(gate.message == "accuracy fell 1.20 points, more than --max-drop 1.00 points (gated on the drop alone: --alpha 1)")
    }

    @Test func aRiseOrNoChangePasses() throws {
        var result = EvaluationResult.twentyCompared
        result.gates = GateSettings(maxDrop: 0)
        let gate = try #require(result.gateOutcomes.first)
        #expect(gate.passed && gate.value == 0)
        #expect(gate.message == "accuracy did not change (--max-drop 0.00 points)")
    }

    @Test func maxDropWithoutAComparisonFails() throws {
        let gate = try #require(outcomes(.twentyLabelled, GateSettings(maxDrop: 0.01)).first)
        #expect(!gate.passed && gate.value == nil)
    }

    @Test func gatesComeInTheDocumentedOrderAndNeedLabels() {
        let gates = GateSettings(minAccuracy: 0.5, maxDrop: 0.5, minRecallByDigit: [2: 0.5])
        var result = EvaluationResult.twentyCompared
        result.gates = gates
        #expect(result.gateOutcomes.map(\.name) == ["min-accuracy", "max-drop", "recall-2"])
        #expect(result.failedGates.isEmpty)
        #expect(outcomes(.fixture(predictions: [1, 2], labels: nil), gates).isEmpty)
    }
}

@Suite struct ComparisonTests {
    @Test func countsRegressionsFixesAndBoth() {
        let comparison = EvaluationResult.twentyCompared.comparison!
        #expect(comparison.images == 20)
        #expect((comparison.bothRight, comparison.regressions, comparison.fixes, comparison.bothWrong) == (15, 2, 2, 1))
        #expect(comparison.baselineMetrics.correct == 17)
        #expect(comparison.accuracyDelta == 0)
        #expect(comparison.pValue == 1)
        #expect(comparison.regressedImages.map(\.index) == [4, 19])
        #expect(comparison.regressedImages.map(\.after) == [9, 4])
        #expect(comparison.regressedImages.map(\.before) == [4, 9])
    }

    @Test func theDeltaIsOneDivisionSoAThresholdCanEqualIt() {
        let comparison = EvaluationResult.thousandDropped().comparison!
        #expect(comparison.accuracyDrop == 0.012)
        #expect(comparison.accuracyDelta == -0.012)
        let interval = comparison.accuracyDeltaCI95
        // Newcombe's interval for (988, 0, 12, 0), from the formula in Python.
        #expect(abs(interval.lower - -0.020857268475498292) < 1e-12 && abs(interval.upper - -0.00560605188463264) < 1e-12)
    }

    @Test func describesItsBaseline() {
        #expect(EvaluationResult.twentyCompared.comparison!.baselineDescription == "runs/main.csv (predictions CSV)")
        #expect(EvaluationResult.thousandDropped().comparison!.baselineDescription
                == "old.safetensors (784-100-10, relu, mean 0.0, std 1.0)")
    }
}
