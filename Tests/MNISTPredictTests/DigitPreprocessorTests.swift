import Foundation
import MNISTData
import MNISTPictures
import MNISTPredict
import Testing
import TestSupport

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

    static func inkBox(_ input: [UInt8]) -> [Int] {
        let inked = input.indices.filter { input[$0] > 0 }
        let xs = inked.map { $0 % 28 }, ys = inked.map { $0 / 28 }
        return [xs.min()!, ys.min()!, xs.max()!, ys.max()!]
    }

    /// `page` lit unevenly: multiplied by `1 - strength · t`, with t going
    /// from 0 to 1 across the page from its left edge (linear) or with the
    /// distance from (`spotX`, `spotY`) (radial).
    static func lit(_ page: GreyImage, strength: Double, radial: Bool = false, spotX: Int = 0, spotY: Int = 0) -> GreyImage {
        var lit = page
        let farthest = [(0, 0), (page.width, 0), (0, page.height), (page.width, page.height)]
            .map { hypot(Double($0.0 - spotX), Double($0.1 - spotY)) }.max()!
        for y in 0..<page.height {
            for x in 0..<page.width {
                let t = radial ? hypot(Double(x - spotX), Double(y - spotY)) / farthest : Double(x) / Double(page.width - 1)
                lit[x, y] = UInt8((Double(page[x, y]) * (1 - strength * t)).rounded())
            }
        }
        return lit
    }

    /// The histogram-based, in-place preprocessor against the whole-array
    /// reference, pixel for pixel (or the same reason for no digit): real
    /// digits drawn on pages of both polarities and scales, under even and
    /// uneven light, noise, shaded paper, blots, single rows and columns,
    /// low contrast and blank pages.
    @Test func givesTheSameInputAsTheWholeArrayReference() throws {
        let data = try LabeledImages.read(images: Repository.root + "/Data/t10k-images-idx3-ubyte.gz",
                                          labels: Repository.root + "/Data/t10k-labels-idx1-ubyte.gz")
        var pictures: [GreyImage] = []
        for n in 0..<60 {
            var page = AgreementTests.page(data.pixels[(n * 784)..<((n + 1) * 784)], scale: 1 + n % 4,
                                           left: n % 13, top: n % 7, width: 130, height: 120)
            if n % 5 == 1 { page = Self.lit(page, strength: 0.6) }
            if n % 5 == 2 { page = Self.lit(page, strength: 0.7, radial: true, spotX: 100, spotY: 90) }
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
        pictures.append(Self.lit(GreyImage(width: 90, height: 70, pixels: [UInt8](repeating: 230, count: 6300)), strength: 0.6))
        pictures.append(Self.bar(x: 20, y: 10, width: 30, height: 40, ink: 150, paper: 190))
        pictures.append(Self.bar(x: 5, y: 5, width: 70, height: 55))  // a blot filling most of the page
        pictures.append(Self.bar(x: 40, y: 30, width: 2, height: 2))  // a speck
        for (index, picture) in pictures.enumerated() {
            let product = Result { () throws(NoDigitReason) in try DigitPreprocessor.mnistInput(from: picture) }
            let reference = Result { () throws(NoDigitReason) in try ReferencePreprocessor.mnistInput(from: picture) }
            #expect(product == reference, "picture \(index): \(picture.width)×\(picture.height)")
        }
    }

    @Test func aDigitUnderStrongLightIsPreparedAsUnderEvenLight() throws {
        let even = Self.bar(x: 30, y: 10, width: 12, height: 45, pageWidth: 120, pageHeight: 80)
        let expected = try DigitPreprocessor.mnistInput(from: even)
        for picture in [Self.lit(even, strength: 0.7), Self.lit(even, strength: 0.7, radial: true, spotX: 100, spotY: 70)] {
            let input = try DigitPreprocessor.mnistInput(from: picture)
            let difference = zip(input, expected).map { abs(Int($0) - Int($1)) }.reduce(0, +) / input.count
            #expect(difference <= 2, "mean difference \(difference) levels from the evenly lit input")
            #expect(Self.inkBox(input) == Self.inkBox(expected))
        }
    }

    @Test func aPageWithNoDigitSaysWhy() {
        let blank = GreyImage(width: 40, height: 30, pixels: [UInt8](repeating: 240, count: 1200))
        #expect(throws: NoDigitReason.blank(levels: 0)) { try DigitPreprocessor.mnistInput(from: blank) }
        // Under a strong gradient the page spans many levels, but once the light is divided out it is all paper.
        let shaded = Self.lit(GreyImage(width: 90, height: 70, pixels: [UInt8](repeating: 230, count: 6300)), strength: 0.6)
        #expect(throws: NoDigitReason.self) { try DigitPreprocessor.mnistInput(from: shaded) }
        #expect(throws: NoDigitReason.tooSmall(width: 2, height: 2, minimum: 4)) {
            try DigitPreprocessor.mnistInput(from: Self.bar(x: 40, y: 30, width: 2, height: 2))
        }
    }

    @Test func tallStrokeFitsTwentyPixelsHighAndIsCentredByMass() throws {
        let input = try DigitPreprocessor.mnistInput(from: Self.bar(x: 60, y: 5, width: 10, height: 50))
        let box = Self.inkBox(input)
        #expect(box[3] - box[1] + 1 == 20)
        #expect(box[2] - box[0] + 1 == 4)
        let mass = input.reduce(0) { $0 + Double($1) }
        let comX = input.indices.reduce(0) { $0 + Double($1 % 28) * Double(input[$1]) } / mass
        let comY = input.indices.reduce(0) { $0 + Double($1 / 28) * Double(input[$1]) } / mass
        #expect(abs(comX - 14) <= 0.5 && abs(comY - 14) <= 0.5, "centre of mass (\(comX), \(comY))")
        #expect(input.max() == 255, "ink is stretched to full strength")
    }

    @Test func darkOnLightAndLightOnDarkGiveTheSameInput() throws {
        let paper = Self.bar(x: 20, y: 10, width: 30, height: 40)
        #expect(try DigitPreprocessor.mnistInput(from: paper) == DigitPreprocessor.mnistInput(from: paper.inverted))
    }

    @Test func greyPaperAndFaintInkAreNormalised() throws {
        let faint = Self.bar(x: 20, y: 10, width: 30, height: 40, ink: 150, paper: 190)
        let strong = Self.bar(x: 20, y: 10, width: 30, height: 40, ink: 0, paper: 255)
        #expect(try DigitPreprocessor.mnistInput(from: faint) == DigitPreprocessor.mnistInput(from: strong))
    }

    @Test func areaAveragingKeepsTheInkMassOfAHalfCoveredPixel() throws {
        // 40 px tall, a 1-px-wide stroke: halved to 20 rows, each output pixel
        // covers two columns of which one is ink, so it is half strength.
        let input = try DigitPreprocessor.mnistInput(from: Self.bar(x: 30, y: 10, width: 1, height: 40, pageWidth: 60))
        let levels = Set(input.filter { $0 > 0 })
        #expect(levels == [128] || levels == [255], "found \(levels)")
    }
}
