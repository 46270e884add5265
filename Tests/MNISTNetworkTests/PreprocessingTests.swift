import Foundation
import Testing
import MNISTNetwork

/// `Preprocessing.frameBackground` against its definition, written again here
/// the plain way (Doubles, the Coons patch term by term), and what it must do
/// to pages: remove a background it can see in the frame, leave a clean digit
/// alone, and give the classifier the same bytes on every path.
@Suite struct PreprocessingTests {
    /// The definition: edge medians three deep, on rows and columns 1 and 26,
    /// the Coons patch from them, `max(x − background, 0)`, the largest
    /// stretched to 255 (half up).
    static func reference(_ x: [UInt8]) -> [UInt8] {
        func pixel(_ r: Int, _ c: Int) -> Double { Double(x[r * 28 + c]) }
        func median(_ a: Double, _ b: Double, _ c: Double) -> Double { [a, b, c].sorted()[1] }
        let top = (0..<28).map { median(pixel(0, $0), pixel(1, $0), pixel(2, $0)) }
        let bottom = (0..<28).map { median(pixel(25, $0), pixel(26, $0), pixel(27, $0)) }
        let left = (0..<28).map { median(pixel($0, 0), pixel($0, 1), pixel($0, 2)) }
        let right = (0..<28).map { median(pixel($0, 25), pixel($0, 26), pixel($0, 27)) }
        let c00 = (top[1] + left[1]) / 2, c01 = (top[26] + right[1]) / 2
        let c10 = (bottom[1] + left[26]) / 2, c11 = (bottom[26] + right[26]) / 2
        var above = [Double](repeating: 0, count: 784)
        for r in 0..<28 {
            for c in 0..<28 {
                let t = Double(r - 1) / 25, s = Double(c - 1) / 25
                let background = (1 - t) * top[c] + t * bottom[c] + (1 - s) * left[r] + s * right[r]
                    - ((1 - t) * (1 - s) * c00 + (1 - t) * s * c01 + t * (1 - s) * c10 + t * s * c11)
                // Rounded to 1/1250, as the integer code keeps it exactly.
                above[r * 28 + c] = max(pixel(r, c) - (background * 1250).rounded() / 1250, 0)
            }
        }
        // In units of 1/1250 (whole numbers), so that "half up" is decided exactly.
        let units = above.map { Int(($0 * 1250).rounded()) }
        let largest = units.max()!
        guard largest > 0 else { return [UInt8](repeating: 0, count: 784) }
        return units.map { UInt8((2 * 255 * $0 + largest) / (2 * largest)) }
    }

    static func t10k(_ count: Int) throws -> [[UInt8]] {
        let pixels = try BatchClassifierTests.images(count)
        return (0..<count).map { Array(pixels[($0 * 784)..<(($0 + 1) * 784)]) }
    }

    @Test func matchesTheDefinitionOnRealAndRandomImages() throws {
        var images = try Self.t10k(300)
        var state: UInt64 = 7
        for _ in 0..<300 {
            images.append((0..<784).map { _ in
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return UInt8(truncatingIfNeeded: state >> 56)
            })
        }
        // Pages: each t10k image on a lifted, a banded and a ramped background.
        for image in images.prefix(100) {
            images.append(image.map { UInt8(min(Int($0) + 90, 255)) })
            images.append(image.enumerated().map { i, p in UInt8(min(Int(p) + (i % 28 < 7 ? 200 : 0), 255)) })
            images.append(image.enumerated().map { i, p in UInt8(min(Int(p) + 3 * (i / 28) + 2 * (i % 28), 255)) })
        }
        for (index, image) in images.enumerated() {
            let fast = Preprocessing.frameBackground.applied(to: image)
            let expected = Self.reference(image)
            #expect(fast == expected, "image \(index): first difference at \(fast.indices.first { fast[$0] != expected[$0] } ?? -1)")
        }
    }

    /// Unless its ink reaches into the frame deep enough to be its median
    /// somewhere: then some of it is taken for page.
    @Test func aCleanDigitOnlyGetsStretched() throws {
        let images = try Self.t10k(1000)
        var changed = 0
        for image in images {
            let largest = Int(image.max()!)
            let stretched = image.map { UInt8((2 * 255 * Int($0) + largest) / (2 * largest)) }  // half up, exactly
            func median(_ a: Int, _ b: Int, _ c: Int) -> UInt8 { [image[a], image[b], image[c]].sorted()[1] }
            var frameMedians: [UInt8] = []
            for i in 0..<28 {
                frameMedians.append(median(i, 28 + i, 56 + i))
                frameMedians.append(median(700 + i, 728 + i, 756 + i))
                frameMedians.append(median(i * 28, i * 28 + 1, i * 28 + 2))
                frameMedians.append(median(i * 28 + 25, i * 28 + 26, i * 28 + 27))
            }
            if frameMedians.allSatisfy({ $0 == 0 }) {
                #expect(Preprocessing.frameBackground.applied(to: image) == stretched)
            } else {
                changed += 1
            }
        }
        #expect(changed < 150, "\(changed) of 1,000 t10k digits reach into the frame")
    }

    /// A background the frame shows (a level, bands, a ramp) is removed
    /// exactly, wherever the ink did not clip at 255.
    @Test(arguments: ["level", "bands", "ramp"])
    func aBackgroundSeenInTheFrameIsRemoved(_ kind: String) throws {
        func background(_ r: Int, _ c: Int) -> Int {
            switch kind {
            case "level": 100
            case "bands": c < 7 || c >= 21 ? 120 : 30
            default: 2 * r + 3 * c
            }
        }
        for image in try Self.t10k(80) where !(0..<784).contains(where: { image[$0] > 0 && ($0 / 28 < 3 || $0 / 28 > 24 || $0 % 28 < 3 || $0 % 28 > 24) }) {
            let page = (0..<784).map { i in UInt8(min(Int(image[i]) * 100 / 255 + background(i / 28, i % 28), 255)) }
            let ink = (0..<784).map { Int(image[$0]) * 100 / 255 }
            let largest = ink.max()!
            let expected = ink.map { UInt8((2 * 255 * $0 + largest) / (2 * largest)) }
            #expect(Preprocessing.frameBackground.applied(to: page) == expected)
        }
    }

    @Test func aBlankOrUniformPageIsBlack() {
        for level in [0, 1, 128, 255] {
            #expect(Preprocessing.frameBackground.applied(to: [UInt8](repeating: UInt8(level), count: 784))
                    == [UInt8](repeating: 0, count: 784))
        }
    }

    @Test func noneIsTheIdentity() throws {
        for image in try Self.t10k(5) { #expect(Preprocessing.none.applied(to: image) == image) }
    }

    /// The fast classifier, the reference and the fused two-network pass agree
    /// for a network that preprocesses, for any batch size and thread count.
    @Test func everyPathClassifiesThePreprocessedImage() throws {
        let count = 300
        let pixels = try BatchClassifierTests.images(count)
        var network = makeNetwork()
        network.preprocessing = .frameBackground
        // A grey page: preprocessing decides everything here.
        let page = pixels.map { UInt8(min(Int($0) / 2 + 100, 255)) }
        let runs = [(1, 1), (7, 2), (128, 2), (300, 1)].map { batch, threads in
            BatchClassifierTests.classify(network, page, count: count, batchSize: batch, threads: threads)
        }
        for run in runs.dropFirst() {
            #expect(run.predictions == runs[0].predictions)
            #expect(run.logits.map(\.bitPattern) == runs[0].logits.map(\.bitPattern))
        }
        for i in 0..<count {
            let image = Array(page[(i * 784)..<((i + 1) * 784)])
            #expect(Int(runs[0].predictions[i]) == ReferenceClassifier.predict(network, pixels: image), "image \(i)")
        }
        var plain = network
        plain.preprocessing = .none
        let unprocessed = BatchClassifierTests.classify(plain, page, count: count, batchSize: 128, threads: 2)
        #expect(unprocessed.predictions != runs[0].predictions, "preprocessing changed nothing")
    }

    @Test func theFusedPassPreprocessesEachNetworkAsItsOwn() throws {
        let count = 256
        let page = try BatchClassifierTests.images(count).map { UInt8(min(Int($0) / 2 + 100, 255)) }
        var processed = makeNetwork(seed: 3)
        processed.preprocessing = .frameBackground
        let plain = makeNetwork(seed: 4)
        let alone = (BatchClassifierTests.classify(processed, page, count: count, batchSize: 64, threads: 2),
                     BatchClassifierTests.classify(plain, page, count: count, batchSize: 64, threads: 2))
        let a = BatchClassifier(network: processed, batchSize: 64, threads: 2)
        let b = BatchClassifier(network: plain, batchSize: 64, threads: 2)
        var (p1, c1, p2, c2) = ([UInt8](repeating: 0, count: count), [Float](repeating: 0, count: count),
                                [UInt8](repeating: 0, count: count), [Float](repeating: 0, count: count))
        page.withUnsafeBufferPointer { px in
            p1.withUnsafeMutableBufferPointer { p1 in c1.withUnsafeMutableBufferPointer { c1 in
                p2.withUnsafeMutableBufferPointer { p2 in c2.withUnsafeMutableBufferPointer { c2 in
                    a.classify(px, count: count, into: .init(predictions: p1, confidences: c1), workspace: nil,
                               alongside: b, into: .init(predictions: p2, confidences: c2), otherWorkspace: nil)
                } }
            } }
        }
        #expect(p1 == alone.0.predictions && c1 == alone.0.confidences)
        #expect(p2 == alone.1.predictions && c2 == alone.1.confidences)
    }

    @Test func theWeightsRecordIt() throws {
        var network = makeNetwork()
        network.preprocessing = .frameBackground
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pre-\(UUID().uuidString).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try network.save(to: path)
        let loaded = try Network.load(path: path)
        #expect(loaded.network.preprocessing == .frameBackground)
        #expect(loaded.metadata["preprocess"] == "frame-background")
        // Without the key: nothing, as before.
        try makeNetwork().save(to: path)
        #expect(try Network.load(path: path).network.preprocessing == .none)
        #expect(try Network.load(path: path).metadata["preprocess"] == nil)
    }
}
