import Glibc
import MNIST
import MNISTData
import MNISTNetwork
import Testing
import TestSupport

/// The library's one-import API against the modules it is built on.
@Suite struct ClassifierTests {
    static let images = Repository.root + "/Data/t10k-images-idx3-ubyte.gz"

    /// The first `count` t10k images, 784 bytes each.
    static func testImages(_ count: Int) throws -> [UInt8] {
        let reader = try IDXImageReader(path: images)
        var pixels = [UInt8](repeating: 0, count: count * 784)
        let read = try pixels.withUnsafeMutableBufferPointer { try reader.read(maxImages: count, into: $0) }
        #expect(read == count)
        return pixels
    }

    @Test func builtInWeightsAreTheShippedFile() throws {
        let file = try MNISTNetwork.Network.load(path: Repository.root + "/Data/mnist-784-100-10.safetensors")
        let builtIn = MNISTNetwork.Network.loadShipped()
        #expect(builtIn.network == file.network)
        #expect(builtIn.metadata == file.metadata)
        #expect(Classifier.shipped.network == file.network)
        #expect(Classifier.shipped.weightsName == MNISTNetwork.Network.shippedWeightsName)
    }

    @Test func oneImageAtATimeMatchesTheBatch() throws {
        let pixels = try Self.testImages(300)
        let batch = Classifier.shipped.classify(batch: pixels)
        #expect(batch.count == 300)
        for n in stride(from: 0, to: 300, by: 7) {
            let one = Classifier.shipped.classify(Array(pixels[(n * 784)..<((n + 1) * 784)]))
            #expect(one == batch[n], "image \(n)")
        }
        // The t10k file starts 7, 2, 1, 0, 4: the shipped network reads them all.
        #expect(batch.prefix(5).map(\.digit) == [7, 2, 1, 0, 4])
        for prediction in batch.prefix(20) {
            #expect(abs(prediction.probabilities.reduce(0, +) - 1) < 1e-5)
            #expect(prediction.confidence == prediction.probabilities.max())
        }
    }

    @Test func evaluateAgreesWithClassifyingTheWholeFile() throws {
        let result = try Classifier.shipped.evaluate(images: Self.images)
        let metrics = try #require(result.metrics)
        #expect(metrics.images == 10_000)
        #expect(result.labelsPath == Repository.root + "/Data/t10k-labels-idx1-ubyte.gz")
        #expect(result.weightsPath == MNISTNetwork.Network.shippedWeightsName)
        // The same images through classify(batch:), counted by predicted digit.
        let predictions = Classifier.shipped.classify(batch: try Self.testImages(10_000))
        var histogram = [Int](repeating: 0, count: 10)
        for prediction in predictions { histogram[prediction.digit] += 1 }
        #expect(result.predictedHistogram == histogram)
        #expect(result.textReport.contains("accuracy: "))
        #expect(result.jsonReport.hasPrefix("{"))
    }

    @Test func weightsFileErrorsNameTheFile() {
        #expect(throws: WeightsError.self) { try Classifier(weightsAt: "/nonexistent/weights.safetensors") }
        do {
            _ = try Classifier(weightsAt: "/nonexistent/weights.safetensors")
        } catch {
            #expect("\(error)".contains("/nonexistent/weights.safetensors"))
        }
    }

    @Test func aPictureOfADigitIsPreparedAndClassified() throws {
        // t10k's first image (a 7) as black ink on white paper, 3× larger, in a PGM file.
        let digit = Array(try Self.testImages(1))
        var pgm = Array("P5\n84 84\n255\n".utf8)
        for y in 0..<84 { for x in 0..<84 { pgm.append(255 - digit[(y / 3) * 28 + x / 3]) } }
        let path = "/tmp/mnist-classifier-test-\(getpid()).pgm"
        let file = fopen(path, "wb")
        fwrite(pgm, 1, pgm.count, file)
        fclose(file)
        defer { unlink(path) }
        #expect(try Classifier.shipped.classify(pictureAt: path).digit == 7)
    }
}
