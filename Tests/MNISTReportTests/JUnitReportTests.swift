import Foundation
import Testing
@testable import MNISTEvaluation
import MNISTPlumbing
@testable import MNISTReport
import TestSupport
import XMLSchemaSupport

/// `--junit`: well-formed XML whose counts agree with its test cases, with
/// every message escaped, and (libxml2, on every machine) valid against the
/// Jenkins JUnit schema that GitLab's documentation points to.
@Suite struct JUnitReportTests {
    /// The run of `thousandDropped` with a failing max-drop (p < 0.0001, so the
    /// message holds a `<`), a passing recall gate, and a digit absent.
    static var gated: EvaluationResult {
        let labels: [UInt8] = (0..<1000).map { UInt8($0 % 9) }  // no 9s
        var predictions = labels
        for index in 0..<20 { predictions[index] = UInt8((index + 1) % 9) }
        var result = EvaluationResult.fixture(predictions: predictions, labels: labels)
        result.comparison = Comparison(baselinePath: "main & \"old\" <v1>.csv", source: .predictions, classCount: 10,
                                       labels: labels, predictions: predictions, baseline: labels)
        result.gates = GateSettings(minAccuracy: 0.9, maxDrop: 0.001, minRecall: 0.95, minRecallByDigit: [9: 0.99])
        return result
    }

    static var examples: [EvaluationResult] {
        var odd = EvaluationResult.twentyCompared
        odd.imagesPath = "C:\\data\\'odd' <images> & \"more\"\nname\t\u{01}é.idx"
        odd.seconds = .nan
        odd.gates = GateSettings(minAccuracy: 0.9)
        return [gated, .twentyLabelled, .twentyCompared, odd, .fixture(predictions: [1, 2, 2], labels: nil),
                .thousandDropped(gates: GateSettings(maxDrop: 0.01, alpha: 1))]
    }

    @Test(arguments: 0..<6)
    func isWellFormedAndItsCountsAgreeWithItsCases(_ example: Int) throws {
        let result = Self.examples[example]
        let suite = try XMLCheck.parse(JUnitReport.render(result))
        #expect(suite.name == "testsuite")
        let cases = suite.children(named: "testcase")
        let failures = cases.filter { !$0.children(named: "failure").isEmpty }
        let skipped = cases.filter { !$0.children(named: "skipped").isEmpty }
        #expect(suite.attributes["name"] == "mnist-eval")
        #expect(suite.attributes["tests"] == String(cases.count))
        #expect(suite.attributes["failures"] == String(failures.count))
        #expect(suite.attributes["skipped"] == String(skipped.count))
        #expect(suite.attributes["errors"] == "0")
        #expect(suite.attributes["time"]?.range(of: #"^[0-9]+\.[0-9]{3}$"#, options: .regularExpression) != nil)
        #expect(failures.count == result.failedGates.count)
        #expect(Set(cases.map { $0.attributes["name"]! }).count == cases.count, "case names are unique")
        #expect(suite.children(named: "properties").count == 1)
    }

    @Test func hasACasePerGateAndPerDigitWithTheReportsMessages() throws {
        let result = Self.gated
        let suite = try XMLCheck.parse(JUnitReport.render(result))
        let cases = suite.children(named: "testcase")
        #expect(cases.map { $0.attributes["name"]! } == ["min-accuracy", "max-drop"] + (0..<10).map { "recall-\($0)" })
        #expect(cases.map { $0.attributes["classname"]! } == ["mnist-eval.gate", "mnist-eval.gate"]
                + Array(repeating: "mnist-eval.recall", count: 10))
        let failed = cases.filter { !$0.children(named: "failure").isEmpty }.map { $0.attributes["name"]! }
        #expect(failed == ["max-drop"])
        #expect(result.failedGates.map(\.name) == ["max-drop"])
        let maxDrop = try #require(cases[1].children(named: "failure").first)
        let message = try #require(result.failedGates.first { $0.name == "max-drop" }?.message)
        #expect(message.contains("p < 0.0001"))
        #expect(maxDrop.attributes["message"] == message)
        #expect(maxDrop.attributes["type"] == "max-drop")
        #expect(maxDrop.text == message)
        // Digit 9 has no images: its gate is skipped, not failed.
        let nine = cases[11]
        #expect(nine.children(named: "skipped").first?.attributes["message"]
                == "no images of digit 9: its recall is not measured (--min-recall 99.00%)")
    }

    @Test func withoutARecallGateADigitsCasePassesAndSaysTheFigure() throws {
        let suite = try XMLCheck.parse(JUnitReport.render(.twentyLabelled))
        let cases = suite.children(named: "testcase")
        #expect(cases.count == 10)
        #expect(cases[4].children(named: "system-out").first?.text == "recall of digit 4 50.00% (1/2); no --min-recall for it")
        #expect(suite.attributes["failures"] == "0")
    }

    @Test func everyTextIsEscapedAndComesBackExactly() throws {
        let result = Self.examples[3]
        let xml = JUnitReport.render(result)
        let properties = try XMLCheck.parse(xml).children(named: "properties")[0].children(named: "property")
        let images = properties.first { $0.attributes["name"] == "images_path" }?.attributes["value"]
        // The control character U+0001 is not allowed in XML 1.0 at all: it becomes U+FFFD.
        #expect(images == "C:\\data\\'odd' <images> & \"more\"\nname\t\u{FFFD}é.idx")
        #expect(xml.contains("value=\"C:\\data\\&apos;odd&apos; &lt;images&gt; &amp; &quot;more&quot;&#10;name&#9;\u{FFFD}é.idx\""))
        let baseline = try XMLCheck.parse(JUnitReport.render(Self.gated)).children(named: "properties")[0]
            .children(named: "property").first { $0.attributes["name"] == "baseline" }
        #expect(baseline?.attributes["value"] == "main & \"old\" <v1>.csv")
        #expect(JUnitReport.time(.nan) == "0.000" && JUnitReport.time(-1) == "0.000" && JUnitReport.time(0.0194) == "0.019")
    }

    @Test func theCheckerItselfRejectsWhatIsNotWellFormed() {
        for bad in ["<a><b></a></b>", "<a x=1/>", "<a x=\"1\" x=\"2\"/>", "<a>&nbsp;</a>", "<a>1 < 2</a>", "<a/><b/>",
                    "<a x=\"<\"/>", "<a>\u{01}</a>", "<a>"] {
            #expect(throws: XMLCheck.Failure.self, "\(bad)") { try XMLCheck.parse(bad) }
        }
        #expect(throws: Never.self) { try XMLCheck.parse("<?xml version=\"1.0\"?>\n<a x='1'><b/>t &amp; &#10;</a>\n") }
    }

    @Test(arguments: 0..<6)
    func validatesAgainstTheJenkinsJUnitSchema(_ example: Int) throws {
        #expect(try XMLSchema.firstError(in: JUnitReport.render(Self.examples[example])) == nil)
    }

    /// The schema check is only as good as the schema: one that accepted
    /// anything would pass every report. It must refuse a suite without its
    /// required counts and a time that is not Surefire's.
    @Test(arguments: [
        "<testsuite name=\"x\" tests=\"1\"><testcase name=\"a\"/></testsuite>",
        "<testsuite name=\"x\" tests=\"1\" failures=\"0\" errors=\"0\" time=\"nan\"><testcase name=\"a\"/></testsuite>",
        "<testsuite name=\"x\" tests=\"1\" failures=\"0\" errors=\"0\"><testcase/></testsuite>",
        "<testsuite name=\"x\" tests=\"1\" failures=\"0\" errors=\"0\"><test name=\"a\"/></testsuite>",
    ])
    func theSchemaRefusesWhatJenkinsWouldNotRead(_ xml: String) throws {
        #expect(try XMLSchema.firstError(in: xml) != nil)
    }

    @Test func aSchemaThatCannotBeReadIsAnError() {
        #expect(throws: XMLSchema.Unreadable.self) { try XMLSchema.firstError(in: "<a/>", schemaPath: "/nonexistent.xsd") }
    }
}
