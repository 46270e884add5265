import MNISTData
import Testing
import TestSupport

@Suite struct IDXImageReaderTests {
    /// Reads every image in batches of `batch`, returning the pixels in order.
    static func readAll(_ reader: IDXImageReader, batch: Int) throws -> [UInt8] {
        var pixels: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: batch * reader.pixelsPerImage)
        while true {
            let count = try buffer.withUnsafeMutableBufferPointer { try reader.read(maxImages: batch, into: $0) }
            if count == 0 { break }
            pixels += buffer[..<(count * reader.pixelsPerImage)]
        }
        return pixels
    }

    @Test(arguments: [1, 3, 7, 20])
    func givesTheSamePixelsForAnyBatchSize(batch: Int) throws {
        let directory = TemporaryDirectory()
        let path = try directory.write("images", Fixtures.gzip(Fixtures.images(count: 10)))
        let reader = try IDXImageReader(path: path)
        #expect(reader.count == 10 && reader.rows == 28 && reader.columns == 28)
        #expect(try Self.readAll(reader, batch: batch) == Fixtures.imagePixels(count: 10))
    }

    @Test func reportsTrailingDataWithTheLastImages() throws {
        let directory = TemporaryDirectory()
        let path = try directory.write("images", Fixtures.gzip(Fixtures.images(count: 2) + [0]))
        let reader = try IDXImageReader(path: path)
        var buffer = [UInt8](repeating: 0, count: 784)
        let first = try buffer.withUnsafeMutableBufferPointer { try reader.read(maxImages: 1, into: $0) }
        #expect(first == 1)
        let kind = DataError.kind { _ = try buffer.withUnsafeMutableBufferPointer { try reader.read(maxImages: 1, into: $0) } }
        #expect(kind == .idxTrailingData)
    }

    @Test func readsTheShippedTestSet() throws {
        guard let images = ShippedData.path("t10k-images-idx3-ubyte.gz"),
              let labels = ShippedData.path("t10k-labels-idx1-ubyte.gz")
        else { return }  // the data is optional in a checkout
        let reader = try IDXImageReader(path: images)
        #expect(reader.count == 10000)
        let pixels = try Self.readAll(reader, batch: 256)
        #expect(pixels.count == 10000 * 784)

        let set = try LabelSet.read(path: labels)
        #expect(set.labels.first == 7)
        var counts = [Int](repeating: 0, count: 10)
        for label in set.labels { counts[Int(label)] += 1 }
        #expect(counts == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009])
        #expect(LabelsLocator.locate(forImages: images) == labels)
    }

    @Test func verifiesTheEndOfAFileWithNoImages() throws {
        let directory = TemporaryDirectory()
        let empty = try directory.write("empty", Fixtures.gzip(Fixtures.images(count: 0)))
        #expect(try Self.readAll(IDXImageReader(path: empty), batch: 4).isEmpty)
        let garbage = try directory.write("garbage", Fixtures.gzip(Fixtures.images(count: 0)) + [0])
        let reader = try IDXImageReader(path: garbage)
        #expect(DataError.kind { _ = try Self.readAll(reader, batch: 4) } == .gzipTrailingGarbage(found: 0))
    }
}
