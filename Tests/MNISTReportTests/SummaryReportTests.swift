import Testing
@testable import MNISTEvaluation
import MNISTPlumbing
@testable import MNISTReport

/// `--summary`: the Markdown a CI run's page shows.
@Suite struct SummaryReportTests {
    @Test func comparedRunIsExactlyAsExpected() {
        var result = EvaluationResult.twentyCompared
        result.gates = GateSettings(minAccuracy: 0.9, maxDrop: 0.01)
        let expected = """
            ### mnist-eval: 1 of 2 gates failed ❌

            Accuracy **85.00%** (17/20), 95% CI [63.96%, 94.76%]: images `data/t10k-images-idx3-ubyte.gz`, weights `weights/mnist-784-100-10.safetensors`.

            | gate | result | measured |
            |---|---|---|
            | min-accuracy | ❌ failed | accuracy 85.00% is below --min-accuracy 90.00% |
            | max-drop | ✅ passed | accuracy did not change (--max-drop 1.00 points) |

            #### Compared with the baseline

            Baseline `runs/main.csv` (predictions CSV).

            |  | now | before | difference (paired 95% CI) |
            |---|---:|---:|---:|
            | accuracy | 85.00% | 85.00% | 0.00 points [-23.02, +23.02] |

            2 regressions (right before, wrong now), 2 fixes (wrong before, right now); McNemar's exact test: p = 1.0000.

            Regressed images:

            | index | label | before | after |
            |---:|---:|---:|---:|
            | 4 | 4 | 4 | 9 |
            | 19 | 9 | 9 | 4 |

            #### Per class

            | digit | precision | recall | recall before | F1 | support |
            |---:|---:|---:|---:|---:|---:|
            | 0 | 100.00% | 100.00% | 50.00% | 100.00% | 2 |
            | 1 | 66.67% | 100.00% | 50.00% | 80.00% | 2 |
            | 2 | 100.00% | 100.00% | 100.00% | 100.00% | 2 |
            | 3 | 100.00% | 100.00% | 100.00% | 100.00% | 2 |
            | 4 | 50.00% | 50.00% | 100.00% | 50.00% | 2 |
            | 5 | 100.00% | 100.00% | 100.00% | 100.00% | 2 |
            | 6 | 100.00% | 100.00% | 100.00% | 100.00% | 2 |
            | 7 | 100.00% | 50.00% | 50.00% | 66.67% | 2 |
            | 8 | 100.00% | 100.00% | 100.00% | 100.00% | 2 |
            | 9 | 50.00% | 50.00% | 100.00% | 50.00% | 2 |


            """
        #expect(SummaryReport.render(result) == expected)
    }

    @Test func headingSaysTheVerdictOrTheAccuracy() {
        var result = EvaluationResult.twentyLabelled
        #expect(SummaryReport.render(result).hasPrefix("### mnist-eval: accuracy 85.00%\n\n"))
        result.gates = GateSettings(minAccuracy: 0.5)
        #expect(SummaryReport.render(result).hasPrefix("### mnist-eval: the gate passed ✅\n\n"))
        result.gates = GateSettings(minAccuracy: 0.5, minRecall: 0.5)
        #expect(SummaryReport.render(result).hasPrefix("### mnist-eval: all 11 gates passed ✅\n\n"))
    }

    @Test func withoutLabelsItShowsTheHistogram() {
        let text = SummaryReport.render(.fixture(predictions: [1, 2, 2, 9], labels: nil))
        #expect(text.hasPrefix("### mnist-eval: no labels\n\nAccuracy not measured (no labels)"))
        #expect(text.contains("\n| 2 | 2 | 50.00% |\n"))
        #expect(text.hasSuffix(" |\n\n"))
    }

    @Test func cellsAndCodeSpansAreEscaped() {
        #expect(SummaryReport.cell("a | b\nc") == "a \\| b c")
        #expect(SummaryReport.code("plain.csv") == "`plain.csv`")
        #expect(SummaryReport.code("a`b") == "``a`b``")
        #expect(SummaryReport.code("`x") == "`` `x ``")
    }
}
