import MNISTData
import Testing
import TestSupport

@Suite struct LabelsLocatorTests {
    @Test(arguments: [
        ("t10k-images-idx3-ubyte.gz", ["t10k-labels-idx1-ubyte.gz", "t10k-labels-idx1-ubyte"]),
        ("t10k-images-idx3-ubyte", ["t10k-labels-idx1-ubyte", "t10k-labels-idx1-ubyte.gz"]),
        ("t10k-images.gz", ["t10k-labels.gz", "t10k-labels"]),
        ("t10k-images.idx3-ubyte", ["t10k-labels.idx1-ubyte", "t10k-labels.idx1-ubyte.gz"]),
        ("/data/images/train-images-idx3-ubyte.gz",
         ["/data/images/train-labels-idx1-ubyte.gz", "/data/images/train-labels-idx1-ubyte"]),
        ("digits.idx3", ["digits.idx1", "digits.idx1.gz"]),
        ("/data/images/digits.gz", []),
        ("test.gz", []),
    ])
    func renamesOnlyTheFileName(images: String, expected: [String]) {
        #expect(LabelsLocator.candidates(forImages: images) == expected)
    }

    @Test func locatesTheFirstExistingCandidate() throws {
        let directory = TemporaryDirectory()
        let images = try directory.write("t10k-images-idx3-ubyte.gz", [])
        #expect(LabelsLocator.locate(forImages: images) == nil)
        let raw = try directory.write("t10k-labels-idx1-ubyte", [])
        #expect(LabelsLocator.locate(forImages: images) == raw)
        let gzip = try directory.write("t10k-labels-idx1-ubyte.gz", [])
        #expect(LabelsLocator.locate(forImages: images) == gzip)
    }
}
