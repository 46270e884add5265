import MNISTPictures
import MNISTPredict
import Testing

/// The steps of `DigitPreprocessor` on small pictures made here.
@Suite struct DigitPreprocessorTests {
    /// A white page with a dark bar `width`×`height` at (x, y).
    static func bar(x: Int, y: Int, width: Int, height: Int, pageWidth: Int = 90, pageHeight: Int = 70,
                    ink: UInt8 = 20, paper: UInt8 = 230) -> GreyImage {
        var page = GreyImage(width: pageWidth, height: pageHeight,
                             pixels: [UInt8](repeating: paper, count: pageWidth * pageHeight))
        for row in y..<(y + height) { for column in x..<(x + width) { page[column, row] = ink } }
        return page
    }

    static func inkBox(_ input: [UInt8]) -> (left: Int, top: Int, right: Int, bottom: Int) {
        let inked = input.indices.filter { input[$0] > 0 }
        let xs = inked.map { $0 % 28 }, ys = inked.map { $0 / 28 }
        return (xs.min()!, ys.min()!, xs.max()!, ys.max()!)
    }

    @Test func tallStrokeFitsTwentyPixelsHighAndIsCentredByMass() {
        let input = DigitPreprocessor.mnistInput(from: Self.bar(x: 60, y: 5, width: 10, height: 50))
        let box = Self.inkBox(input)
        #expect(box.bottom - box.top + 1 == 20)
        #expect(box.right - box.left + 1 == 4)
        let mass = input.reduce(0) { $0 + Double($1) }
        let comX = input.indices.reduce(0) { $0 + Double($1 % 28) * Double(input[$1]) } / mass
        let comY = input.indices.reduce(0) { $0 + Double($1 / 28) * Double(input[$1]) } / mass
        #expect(abs(comX - 14) <= 0.5 && abs(comY - 14) <= 0.5, "centre of mass (\(comX), \(comY))")
        #expect(input.max() == 255, "ink is stretched to full strength")
    }

    @Test func darkOnLightAndLightOnDarkGiveTheSameInput() {
        let paper = Self.bar(x: 20, y: 10, width: 30, height: 40)
        #expect(DigitPreprocessor.mnistInput(from: paper) == DigitPreprocessor.mnistInput(from: paper.inverted))
    }

    @Test func greyPaperAndFaintInkAreNormalised() {
        let faint = Self.bar(x: 20, y: 10, width: 30, height: 40, ink: 150, paper: 190)
        let strong = Self.bar(x: 20, y: 10, width: 30, height: 40, ink: 0, paper: 255)
        #expect(DigitPreprocessor.mnistInput(from: faint) == DigitPreprocessor.mnistInput(from: strong))
    }

    @Test func blankPageGivesAnEmptyField() {
        let page = GreyImage(width: 40, height: 30, pixels: [UInt8](repeating: 240, count: 1200))
        #expect(DigitPreprocessor.mnistInput(from: page) == [UInt8](repeating: 0, count: 784))
    }

    @Test func areaAveragingKeepsTheInkMassOfAHalfCoveredPixel() {
        // 40 px tall, a 1-px-wide stroke: halved to 20 rows, each output pixel
        // covers two columns of which one is ink, so it is half strength.
        let input = DigitPreprocessor.mnistInput(from: Self.bar(x: 30, y: 10, width: 1, height: 40, pageWidth: 60))
        let levels = Set(input.filter { $0 > 0 })
        #expect(levels == [128] || levels == [255], "found \(levels)")
    }
}
