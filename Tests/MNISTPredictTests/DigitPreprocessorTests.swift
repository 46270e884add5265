import MNISTData
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

    /// The histogram-based preprocessor against the whole-array version it
    /// replaced, pixel for pixel: real digits drawn on pages of both
    /// polarities and scales, noise, shaded paper, single rows and columns,
    /// low contrast and blank pages.
    @Test func givesTheSameInputAsTheWholeArrayReference() throws {
        let root = AgreementTests.root
        let data = try LabeledImages.read(images: root + "/Data/t10k-images-idx3-ubyte.gz",
                                          labels: root + "/Data/t10k-labels-idx1-ubyte.gz")
        var pictures: [GreyImage] = []
        for n in 0..<60 {
            let page = AgreementTests.page(data.pixels[(n * 784)..<((n + 1) * 784)], scale: 1 + n % 4,
                                           left: n % 13, top: n % 7, width: 130, height: 120)
            pictures.append(n % 3 == 0 ? page.inverted : page)
        }
        var generator = SystemRandomNumberGenerator()
        for (width, height) in [(1, 1), (1, 40), (37, 1), (23, 37), (64, 64)] {
            pictures.append(GreyImage(width: width, height: height,
                                      pixels: (0..<(width * height)).map { _ in UInt8.random(in: 0...255, using: &generator) }))
        }
        pictures.append(GreyImage(width: 50, height: 40, pixels: (0..<2000).map { UInt8(100 + ($0 % 50) / 3) }))  // shading
        pictures.append(GreyImage(width: 30, height: 30, pixels: (0..<900).map { UInt8(120 + $0 % 20) }))  // low contrast
        pictures.append(GreyImage(width: 30, height: 30, pixels: [UInt8](repeating: 77, count: 900)))  // blank
        pictures.append(Self.bar(x: 20, y: 10, width: 30, height: 40, ink: 150, paper: 190))
        for (index, picture) in pictures.enumerated() {
            #expect(DigitPreprocessor.mnistInput(from: picture) == ReferencePreprocessor.mnistInput(from: picture),
                    "picture \(index): \(picture.width)×\(picture.height)")
        }
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
