import MNISTData
import Foundation
import Testing
import TestSupport

/// One malformed file and the exact error kind it must produce.
struct MalformedCase: Sendable, CustomTestStringConvertible {
    enum Reader: Sendable { case array, images, labels }

    let name: String
    let bytes: [UInt8]
    let reader: Reader
    let expected: DataError.Kind

    init(_ name: String, _ bytes: [UInt8], as reader: Reader = .array, _ expected: DataError.Kind) {
        self.name = name
        self.bytes = bytes
        self.reader = reader
        self.expected = expected
    }

    var testDescription: String { name }

    func read(_ path: String) throws {
        switch reader {
        case .array: _ = try IDXArray.read(path: path)
        case .labels: _ = try LabelSet.read(path: path)
        case .images:
            let images = try IDXImageReader(path: path)
            var buffer = [UInt8](repeating: 0, count: 784)
            try buffer.withUnsafeMutableBufferPointer { pixels in
                while try images.read(maxImages: 1, into: pixels) > 0 {}
            }
        }
    }
}

@Suite struct MalformedInputTests {
    /// Labels 0...9 repeated: large enough that its deflate body spans many bytes.
    static let labels = Fixtures.labels((0..<2000).map { UInt8(($0 * 7 + $0 / 3) % 10) })
    static let member = Fixtures.gzip(labels)
    static let crc = Fixtures.crc32(labels)
    static let size = UInt32(labels.count)

    /// Sets the first deflate block's type to 3, which deflate reserves.
    static let reservedBlockType: [UInt8] = {
        var bytes = member
        bytes[10] |= 0b110
        return bytes
    }()

    static let cases: [MalformedCase] = [
        MalformedCase("empty file", [], .emptyFile),
        MalformedCase("neither gzip nor IDX", Array("text".utf8), .unknownFormat(found: [0x74, 0x65, 0x78, 0x74])),
        // A raw file is recognised by its first two bytes: non-zero ones are
        // no known format. Inside gzip data the same bytes are a bad IDX magic.
        MalformedCase("raw IDX magic with non-zero second byte", [0, 1, 8, 1, 0, 0, 0, 0],
                      .unknownFormat(found: [0, 1, 8, 1])),
        MalformedCase("gzip IDX magic with non-zero first bytes", Fixtures.gzip([0, 1, 8, 1, 0, 0, 0, 0]),
                      .idxBadMagic(found: [0, 1])),
        MalformedCase("gzip magic only", [0x1f, 0x8b], .gzipHeaderTruncated),
        MalformedCase("gzip truncated in the fixed header", Array(member.prefix(6)), .gzipHeaderTruncated),
        MalformedCase("gzip truncated in FNAME", Fixtures.gzipHeader(flags: 0x08) + Array("abc".utf8),
                      .gzipHeaderTruncated),
        MalformedCase("gzip truncated in the deflate data", Array(member.prefix(member.count / 2)), .gzipTruncated),
        MalformedCase("gzip truncated in the trailer", Array(member.dropLast(3)), .gzipTruncated),
        MalformedCase("gzip reserved deflate block type", reservedBlockType, .gzipCorrupt("invalid block type")),
        MalformedCase("gzip wrong CRC-32", Fixtures.member(header: Fixtures.gzipHeader(flags: 0), content: labels,
                                                           crc: crc ^ 1),
                      .gzipChecksumMismatch(expected: crc ^ 1, found: crc)),
        MalformedCase("gzip wrong ISIZE", Fixtures.member(header: Fixtures.gzipHeader(flags: 0), content: labels,
                                                          size: size + 1),
                      .gzipLengthMismatch(expected: size + 1, found: size)),
        MalformedCase("gzip unknown method", [0x1f, 0x8b, 7] + Array(member.dropFirst(3)),
                      .gzipBadHeader("unknown compression method")),
        MalformedCase("gzip reserved flag", Fixtures.gzipHeader(flags: 0x20) + Array(member.dropFirst(10)),
                      .gzipBadHeader("unknown header flags set")),
        MalformedCase("gzip wrong header CRC", Fixtures.gzipHeader(flags: 0x02) + [0x12, 0x34]
                      + Array(member.dropFirst(10)), .gzipBadHeader("header crc mismatch")),
        MalformedCase("trailing zero after the last member", member + [0], .gzipTrailingGarbage(found: 0)),
        MalformedCase("trailing 1f 00 after the last member", member + [0x1f, 0], .gzipTrailingGarbage(found: 0x1f)),
        MalformedCase("lone 1f after the last member", member + [0x1f], .gzipHeaderTruncated),
        MalformedCase("unknown element type", [0, 0, 0x0A, 1, 0, 0, 0, 0], .idxUnknownElementType(0x0A)),
        MalformedCase("zero dimensions", [0, 0, 8, 0], .idxZeroDimensions),
        MalformedCase("IDX header shorter than its magic", [0, 0, 8], .idxHeaderTruncated(expectedBytes: 4, foundBytes: 3)),
        MalformedCase("IDX header missing dimensions", [0, 0, 8, 3, 0, 0, 0, 1],
                      .idxHeaderTruncated(expectedBytes: 16, foundBytes: 8)),
        MalformedCase("dimensions overflowing 64 bits", Fixtures.idxHeader(type: 0x0E, dimensions: [.max, .max, .max]),
                      .idxSizeOverflow(dimensions: [0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF], elementType: .float64)),
        MalformedCase("2^31 images declared in a tiny raw file",
                      Fixtures.idxHeader(type: 8, dimensions: [1 << 31, 28, 28]) + [UInt8](repeating: 1, count: 100),
                      .idxTruncated(expectedBytes: (1 << 31) * 784, foundBytes: 100)),
        MalformedCase("2^31 images declared in a tiny gzip file",
                      Fixtures.gzip(Fixtures.idxHeader(type: 8, dimensions: [1 << 31, 28, 28])
                                    + [UInt8](repeating: 1, count: 100)),
                      .idxTruncated(expectedBytes: (1 << 31) * 784, foundBytes: 100)),
        MalformedCase("data shorter than declared", Fixtures.gzip(Fixtures.idxHeader(type: 8, dimensions: [10]) + [1, 2]),
                      .idxTruncated(expectedBytes: 10, foundBytes: 2)),
        MalformedCase("raw data after the declared data", Fixtures.labels([1, 2]) + [3], .idxTrailingData),
        MalformedCase("gzip data after the declared data", Fixtures.gzip(Fixtures.labels([1, 2]) + [3]),
                      .idxTrailingData),
        MalformedCase("images not 28×28", Fixtures.idxHeader(type: 8, dimensions: [1, 28, 27]), as: .images,
                      .notImages(elementType: .uint8, dimensions: [1, 28, 27])),
        MalformedCase("images of int8", Fixtures.idxHeader(type: 9, dimensions: [0, 28, 28]), as: .images,
                      .notImages(elementType: .int8, dimensions: [0, 28, 28])),
        MalformedCase("labels file as images", Fixtures.labels([1, 2, 3]), as: .images,
                      .notImages(elementType: .uint8, dimensions: [3])),
        MalformedCase("images file as labels", Fixtures.images(count: 1), as: .labels,
                      .notLabels(elementType: .uint8, dimensions: [1, 28, 28])),
        MalformedCase("label outside 0...9", Fixtures.labels([1, 10, 3]), as: .labels,
                      .labelOutOfRange(index: 1, value: 10)),
        MalformedCase("images missing pixels", Array(Fixtures.images(count: 2).dropLast(5)), as: .images,
                      .idxTruncated(expectedBytes: 2 * 784, foundBytes: 2 * 784 - 5)),
    ]

    @Test(arguments: cases)
    func rejectsMalformedFile(_ malformed: MalformedCase) throws {
        let directory = TemporaryDirectory()
        let path = try directory.write("fixture", malformed.bytes)
        #expect(DataError.kind { try malformed.read(path) } == malformed.expected)
    }

    @Test func rejectsDirectory() {
        let directory = TemporaryDirectory()
        #expect(DataError.kind { _ = try IDXArray.read(path: directory.path) } == .isDirectory)
    }

    @Test func rejectsNonexistentPath() {
        let directory = TemporaryDirectory()
        let kind = DataError.kind { _ = try IDXArray.read(path: directory.path + "/missing.gz") }
        #expect(kind == .cannotOpen(errno: 2))  // ENOENT
    }

    @Test func rejectsUnreadableFile() throws {
        // root reads a chmod 000 file anyway, so the case means nothing there.
        guard geteuid() != 0 else { return }
        let directory = TemporaryDirectory()
        let path = try directory.write("locked", Fixtures.labels([1]))
        #expect(chmod(path, 0) == 0)
        #expect(DataError.kind { _ = try IDXArray.read(path: path) } == .cannotOpen(errno: 13))  // EACCES
    }
}
