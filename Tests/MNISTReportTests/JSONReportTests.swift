import Foundation
import Testing
@testable import MNISTEvaluation
import MNISTPlumbing
@testable import MNISTReport

@Suite struct JSONReportTests {
    static let keys = [
        "images_path", "labels_path", "weights", "architecture", "activation", "input_mean", "input_std", "preprocess",
        "images", "correct", "accuracy", "accuracy_ci95", "collapsed_class", "predicted_histogram",
        "per_class", "top_confusions", "confusion", "comparison", "gates", "seconds", "images_per_second", "threads",
        "batch_size",
    ]

    /// The report parsed by Foundation, which also proves it is valid JSON.
    func parse(_ result: EvaluationResult) throws -> [String: Any] {
        let data = Data(JSONReport.render(result).utf8)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func labelledReportParsesWithEveryKeyAndValue() throws {
        let json = try parse(.twentyLabelled)
        #expect(Set(json.keys) == Set(Self.keys))
        #expect(json["images_path"] as? String == "data/t10k-images-idx3-ubyte.gz")
        #expect(json["labels_path"] as? String == "data/t10k-labels-idx1-ubyte.gz")
        #expect(json["weights"] as? String == "weights/mnist-784-100-10.safetensors")
        #expect(json["architecture"] as? [Int] == [784, 100, 10])
        #expect(json["activation"] as? String == "relu")
        #expect(json["input_mean"] as? Double == 0.1307)
        #expect(json["input_std"] as? Double == 0.3081)
        #expect(json["images"] as? Int == 20)
        #expect(json["correct"] as? Int == 17)
        #expect(json["accuracy"] as? Double == 0.85)
        // Wilson(17, 20) = (0.63958..., 0.94763...), rounded to six decimals.
        #expect(json["accuracy_ci95"] as? [Double] == [0.639581, 0.947631])
        #expect(json["collapsed_class"] is NSNull)
        #expect(json["predicted_histogram"] as? [Int] == [2, 3, 2, 2, 2, 2, 2, 1, 2, 2])
        #expect(json["seconds"] as? Double == 0.041)
        #expect(json["images_per_second"] as? Double == 487.804878)
        #expect(json["threads"] as? Int == 2)
        #expect(json["batch_size"] as? Int == 256)

        let confusion = try #require(json["confusion"] as? [[Int]])
        #expect(confusion.count == 10 && confusion[4][9] == 1 && confusion[7][1] == 1 && confusion[0][0] == 2)
        let perClass = try #require(json["per_class"] as? [[String: Any]])
        #expect(perClass.count == 10)
        #expect(perClass[1]["digit"] as? Int == 1)
        #expect(perClass[1]["precision"] as? Double == 0.666667)
        #expect(perClass[1]["recall"] as? Double == 1)
        #expect(perClass[1]["f1"] as? Double == 0.8)
        #expect(perClass[1]["support"] as? Int == 2)
        #expect(perClass[1]["predicted"] as? Int == 3)
        let top = try #require(json["top_confusions"] as? [[String: Int]])
        #expect(top == [["true_digit": 4, "predicted_digit": 9, "count": 1],
                        ["true_digit": 7, "predicted_digit": 1, "count": 1],
                        ["true_digit": 9, "predicted_digit": 4, "count": 1]])
    }

    @Test func withoutABaselineComparisonIsNullAndGatesEmpty() throws {
        let json = try parse(.twentyLabelled)
        #expect(json["comparison"] is NSNull)
        #expect((json["gates"] as? [Any])?.isEmpty == true)
    }

    @Test func comparisonHasTheDocumentedKeysAndValues() throws {
        var result = EvaluationResult.thousandDropped(gates: GateSettings(maxDrop: 0.01, minRecallByDigit: [3: 0.99]))
        result.comparison!.regressedImages = Array(result.comparison!.regressedImages.prefix(11))
        let json = try parse(result)
        let comparison = try #require(json["comparison"] as? [String: Any])
        #expect(Set(comparison.keys) == ["baseline", "baseline_accuracy", "accuracy_delta", "accuracy_delta_ci95",
                                         "regressions", "fixes", "p_value", "regressed_images"])
        #expect(comparison["baseline"] as? String == "old.safetensors")
        #expect(comparison["baseline_accuracy"] as? Double == 1)
        #expect(comparison["accuracy_delta"] as? Double == -0.012)
        // Newcombe's interval for (988, 0, 12, 0): (-0.0208572..., -0.0056060...).
        #expect(comparison["accuracy_delta_ci95"] as? [Double] == [-0.020857, -0.005606])
        #expect(comparison["regressions"] as? Int == 12)
        #expect(comparison["fixes"] as? Int == 0)
        // 2/4096 = 0.00048828125, six decimals.
        #expect(comparison["p_value"] as? Double == 0.000488)
        let regressed = try #require(comparison["regressed_images"] as? [[String: Int]])
        #expect(regressed.count == Comparison.listedRegressions)
        #expect(regressed[0] == ["index": 0, "label": 0, "before": 0, "after": 1])
        #expect(regressed[9] == ["index": 9, "label": 9, "before": 9, "after": 0])

        let gates = try #require(json["gates"] as? [[String: Any]])
        #expect(gates.map { $0["name"] as? String } == ["max-drop", "recall-3"])
        #expect(gates[0]["value"] as? Double == 0.012)
        #expect(gates[0]["threshold"] as? Double == 0.01)
        #expect(gates[0]["passed"] as? Bool == false)
        #expect(gates[1]["value"] as? Double == 0.99)
        #expect(gates[1]["passed"] as? Bool == true)
        #expect(JSONReport.render(result).contains(#"{"name": "recall-3", "value": 0.99, "threshold": 0.99, "passed": true}"#))
    }

    @Test func aGateWithNothingToMeasureHasANullValue() throws {
        var result = EvaluationResult.fixture(predictions: [0, 1], labels: [0, 1])
        result.gates = GateSettings(minRecallByDigit: [5: 0.9])
        let gates = try #require(try parse(result)["gates"] as? [[String: Any]])
        #expect(gates[0]["value"] is NSNull && gates[0]["passed"] as? Bool == true)
    }

    @Test func keysAppearInTheDocumentedOrder() {
        let text = JSONReport.render(.twentyLabelled)
        let offsets = Self.keys.compactMap { text.range(of: "\n  \"\($0)\": ")?.lowerBound }
        #expect(offsets.count == Self.keys.count)
        #expect(offsets == offsets.sorted())
    }

    @Test func unlabeledReportHasNullsWhereLabelsAreNeeded() throws {
        let json = try parse(.fixture(predictions: [1, 2, 2], labels: nil))
        #expect(Set(json.keys) == Set(Self.keys))
        for key in ["labels_path", "correct", "accuracy", "accuracy_ci95", "confusion", "per_class", "top_confusions"] {
            #expect(json[key] is NSNull, "\(key) should be null")
        }
        #expect(json["images"] as? Int == 3)
        #expect(json["predicted_histogram"] as? [Int] == [0, 1, 2, 0, 0, 0, 0, 0, 0, 0])
    }

    @Test func collapsedClassIsTheDigit() throws {
        let json = try parse(.fixture(predictions: Array(repeating: 6, count: 30), labels: nil))
        #expect(json["collapsed_class"] as? Int == 6)
    }

    @Test func stringsWithQuotesBackslashesAndControlCharactersRoundTrip() throws {
        var result = EvaluationResult.twentyLabelled
        result.imagesPath = "C:\\data\\\"odd\"\nname\t\u{01}\u{1F}é.idx"
        let json = try parse(result)
        #expect(json["images_path"] as? String == result.imagesPath)
        #expect(JSONReport.render(result).contains(#""C:\\data\\\"odd\"\nname\t\u0001\u001fé.idx""#))
    }

    @Test func nonFiniteNumbersBecomeNull() throws {
        var result = EvaluationResult.twentyLabelled
        result.seconds = .nan
        result.inputStd = .infinity
        let json = try parse(result)
        #expect(json["seconds"] is NSNull)
        #expect(json["images_per_second"] is NSNull)
        #expect(json["input_std"] is NSNull)
    }

    @Test(arguments: [(0.98120, "0.9812"), (1, "1"), (0, "0"), (-0.0000001, "0"), (2.5e-7, "0"), (1234.5, "1234.5")])
    func numbersHaveAtMostSixDecimalsAndNoTrailingZeros(_ value: Double, _ expected: String) {
        #expect(NumberFormat.json(value) == expected)
    }
}
