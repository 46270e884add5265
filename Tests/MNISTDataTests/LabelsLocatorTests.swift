import MNISTData
import Testing

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

    @Test func locatesTheFirstExistingCandidate() {
        let directory = TemporaryDirectory()
        let images = directory.write([], as: "t10k-images-idx3-ubyte.gz")
        #expect(LabelsLocator.locate(forImages: images) == nil)
        let raw = directory.write([], as: "t10k-labels-idx1-ubyte")
        #expect(LabelsLocator.locate(forImages: images) == raw)
        let gzip = directory.write([], as: "t10k-labels-idx1-ubyte.gz")
        #expect(LabelsLocator.locate(forImages: images) == gzip)
    }
}
