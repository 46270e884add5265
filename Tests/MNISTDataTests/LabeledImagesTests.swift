import MNISTData
import Testing
import TestSupport

@Suite struct LabeledImagesTests {
    @Test func readsImagesAndLabelsFromGzipAndRaw() throws {
        let directory = TemporaryDirectory()
        let images = try directory.write("x-images", Fixtures.gzip(Fixtures.images(count: 3)))
        let labels = try directory.write("x-labels.gz", Fixtures.labels([7, 0, 9]))
        let set = try LabeledImages.read(images: images, labels: labels)
        #expect(set.count == 3)
        #expect(set.rows == 28 && set.columns == 28 && set.pixelsPerImage == 784)
        #expect(set.labels == [7, 0, 9])
        #expect(set.pixels == Fixtures.imagePixels(count: 3))
    }

    @Test func rejectsDifferentCountsBeforeReadingPixels() throws {
        let directory = TemporaryDirectory()
        // The images header declares 5 images but holds none: only a count
        // check made before the pixels are read can report the mismatch.
        let images = try directory.write("images.gz", Fixtures.gzip(Fixtures.idxHeader(type: 8, dimensions: [5, 28, 28])))
        let labels = try directory.write("labels", Fixtures.labels([1, 2, 3, 4]))
        let kind = DataError.kind { _ = try LabeledImages.read(images: images, labels: labels) }
        #expect(kind == .countMismatch(images: 5, labels: 4, labelsPath: labels))
    }

    @Test func labelsForImagesCheckTheCountOnTheHeader() throws {
        let directory = TemporaryDirectory()
        // 2^31 labels declared, 3 present: the count, not the missing data, is reported.
        let labels = try directory.write("labels.gz", Fixtures.gzip(Fixtures.idxHeader(type: 8, dimensions: [1 << 31]) + [1, 2, 3]))
        let kind = DataError.kind { _ = try LabelSet.read(path: labels, count: 3, imagesPath: "images.gz") }
        #expect(kind == .countMismatch(images: 3, labels: 1 << 31, labelsPath: labels))
        let good = try directory.write("good", Fixtures.labels([4, 0, 9]))
        #expect(try LabelSet.read(path: good, count: 3, imagesPath: "images.gz").labels == [4, 0, 9])
    }

    @Test func rejectsSwappedFiles() throws {
        let directory = TemporaryDirectory()
        let images = try directory.write("images", Fixtures.images(count: 2))
        let labels = try directory.write("labels", Fixtures.labels([1, 2]))
        let swapped = DataError.kind { _ = try LabeledImages.read(images: labels, labels: images) }
        #expect(swapped == .notImages(elementType: .uint8, dimensions: [2]))
    }

    @Test func readsTheShippedTrainingSet() throws {
        guard let images = ShippedData.path("train-images-idx3-ubyte.gz"),
              let labels = ShippedData.path("train-labels-idx1-ubyte.gz")
        else { return }
        let set = try LabeledImages.read(images: images, labels: labels)
        #expect(set.count == 60000)
        #expect(set.pixels.count == 60000 * 784)
        #expect(set.labels.first == 5)
    }
}
