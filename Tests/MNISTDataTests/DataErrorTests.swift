import MNISTData
import Testing
import TestSupport

@Suite struct DataErrorTests {
    @Test func describesTruncatedGzipContentWithItsDecompressedOffset() throws {
        let directory = TemporaryDirectory()
        let images = Fixtures.images(count: 10)
        let path = try directory.write("t10k-images.gz", Fixtures.gzip(Array(images.prefix(16 + 1187))))
        do {
            _ = try LabeledImages.read(images: path, labels: path)
            Issue.record("expected an error")
        } catch let error as DataError {
            // The labels check comes first and names what it found.
            #expect(error.description == "\(path): byte 0 of the decompressed data: not an MNIST labels file; "
                + "expected 1-D ubyte labels N, found a 3-D ubyte array 10×28×28")
        }
        let reader = try IDXImageReader(path: path)
        var buffer = [UInt8](repeating: 0, count: 10 * 784)
        do {
            _ = try buffer.withUnsafeMutableBufferPointer { try reader.read(maxImages: 10, into: $0) }
            Issue.record("expected an error")
        } catch let error as DataError {
            #expect(error.offset == 1203 && error.inDecompressedData && !error.isUnreadableFile)
            #expect(error.description == "\(path): byte 1203 of the decompressed data: truncated IDX data; "
                + "expected 7840 bytes of data, found 1187")
        }
    }

    @Test func describesFileErrorsWithoutOffset() {
        let error = DataError(.cannotOpen(errno: 2), path: "missing.gz")
        #expect(error.description == "missing.gz: cannot open: No such file or directory")
        #expect(error.isUnreadableFile)
        #expect(DataError(.isDirectory, path: "d").isUnreadableFile)
        #expect(DataError(.readFailed(errno: 5), path: "d", offset: 3).isUnreadableFile)
    }

    @Test func describesChecksumMismatchWithBothValues() {
        let error = DataError(.gzipChecksumMismatch(expected: 0x1234, found: 0xDEADBEEF), path: "a.gz", offset: 40)
        #expect(error.description == "a.gz: byte 40: gzip CRC-32 mismatch; expected 0x00001234, "
            + "found 0xdeadbeef computed from the data")
        #expect(!error.isUnreadableFile)
    }
}
