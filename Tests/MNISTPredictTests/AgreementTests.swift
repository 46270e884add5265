import Foundation
import MNISTData
import MNISTNetwork
import MNISTPictures
import MNISTPredict
import Testing
import TestSupport

/// The preprocessing must undo what a person does to a digit when they draw
/// or photograph it: t10k digits are drawn large, dark on white, off-centre
/// in a bigger page, written to PGM and PNG files, read back and classified
/// through `mnist-predict`'s path. The answers must agree with `mnist-eval`'s
/// on the original images for at least 95% of them.
@Suite struct AgreementTests {
    static let count = 300

    /// `pixels` (28×28, 255 = ink) scaled `scale`× by pixel replication,
    /// inverted to dark ink on white, at (left, top) on a white page.
    static func page(_ pixels: ArraySlice<UInt8>, scale: Int, left: Int, top: Int, width: Int, height: Int) -> GreyImage {
        var page = GreyImage(width: width, height: height, pixels: [UInt8](repeating: 255, count: width * height))
        let start = pixels.startIndex
        for y in 0..<(28 * scale) {
            for x in 0..<(28 * scale) { page[left + x, top + y] = 255 - pixels[start + (y / scale) * 28 + x / scale] }
        }
        return page
    }

    static func pgm(_ image: GreyImage) -> [UInt8] {
        Array("P5\n# drawn by AgreementTests\n\(image.width) \(image.height)\n255\n".utf8) + image.pixels
    }

    @Test func largeDarkOnWhiteDigitsAgreeWithTheEvaluator() throws {
        let data = try LabeledImages.read(images: Repository.root + "/Data/t10k-images-idx3-ubyte.gz",
                                          labels: Repository.root + "/Data/t10k-labels-idx1-ubyte.gz")
        let network = try Network.load(path: Repository.root + "/Data/mnist-784-100-10.safetensors").network
        let originals = (0..<Self.count).map { n in
            (file: "t10k[\(n)]", pixels: Array(data.pixels[(n * 784)..<((n + 1) * 784)]))
        }
        let evaluator = DigitPrediction.classify(originals, network: network)

        let folder = NSTemporaryDirectory() + "mnist-agreement-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var drawn: [(file: String, pixels: [UInt8])] = []
        for n in 0..<Self.count {
            let scale = 3 + n % 2
            let image = Self.page(data.pixels[(n * 784)..<((n + 1) * 784)], scale: scale,
                                  left: 10 + (n * 37) % 60, top: 15 + (n * 53) % 40, width: 200, height: 180)
            let path = folder + "/digit-\(n)" + (n % 2 == 0 ? ".pgm" : ".png")
            if n % 2 == 0 {
                try Data(Self.pgm(image)).write(to: URL(fileURLWithPath: path))
            } else {
                try PNGFile.write(path: path, width: image.width, height: image.height, bitDepth: 8, colorType: .grey,
                                  data: image.pixels)
            }
            drawn.append((path, try DigitInput.load(path: path, preprocess: true)))
        }
        let predicted = DigitPrediction.classify(drawn, network: network)
        let agreeing = zip(evaluator, predicted).filter { $0.predicted == $1.predicted }.count
        let agreement = Double(agreeing) / Double(Self.count)
        print("mnist-predict agrees with mnist-eval on \(agreeing)/\(Self.count) t10k digits drawn dark on white"
              + " (\(String(format: "%.1f", agreement * 100))%)")
        #expect(agreement >= 0.95)
    }
}
