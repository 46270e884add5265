import MNISTData
import Testing
import TestSupport

@Suite struct IDXLabelReaderTests {
    static let values: [UInt8] = [7, 2, 1, 0, 4, 1, 4, 9, 5, 9, 0]

    static func readAll(_ reader: IDXLabelReader, batch: Int) throws -> [UInt8] {
        var labels: [UInt8] = []
        while labels.count < reader.count {
            var buffer = [UInt8](repeating: 0, count: min(batch, reader.count - labels.count))
            try buffer.withUnsafeMutableBufferPointer { try reader.read(into: $0) }
            labels += buffer
        }
        return labels
    }

    @Test(arguments: [1, 3, 11])
    func givesTheSameLabelsForAnyBatchSize(batch: Int) throws {
        let directory = TemporaryDirectory()
        let path = try directory.write("labels", Fixtures.gzip(Fixtures.labels(Self.values)))
        let reader = try IDXLabelReader(path: path, count: Self.values.count, imagesPath: "images")
        #expect(try Self.readAll(reader, batch: batch) == Self.values)
    }

    @Test func comparesTheCountOnTheHeader() throws {
        let directory = TemporaryDirectory()
        let path = try directory.write("labels", Fixtures.labels(Self.values))
        let kind = DataError.kind { _ = try IDXLabelReader(path: path, count: 12, imagesPath: "images") }
        #expect(kind == .countMismatch(images: 12, labels: 11, labelsPath: path))
    }

    @Test func namesTheFirstLabelOutOfRange() throws {
        let directory = TemporaryDirectory()
        var values = Self.values
        values[5] = 10
        let path = try directory.write("labels", Fixtures.labels(values))
        let reader = try IDXLabelReader(path: path, count: values.count, imagesPath: "images")
        let kind = DataError.kind { _ = try Self.readAll(reader, batch: 4) }
        #expect(kind == .labelOutOfRange(index: 5, value: 10))
    }

    @Test func reportsTrailingDataWithTheLastLabels() throws {
        let directory = TemporaryDirectory()
        let path = try directory.write("labels", Fixtures.gzip(Fixtures.labels(Self.values) + [3]))
        let reader = try IDXLabelReader(path: path, count: Self.values.count, imagesPath: "images")
        let kind = DataError.kind { _ = try Self.readAll(reader, batch: 11) }
        #expect(kind == .idxTrailingData)
    }
}
