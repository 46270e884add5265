import MNISTData
import Testing
import TestSupport

@Suite struct IDXArrayTests {
    /// A file whose big-endian bytes are written by hand, and what it decodes to.
    struct RoundTrip: Sendable, CustomTestStringConvertible {
        let name: String
        let type: UInt8
        let dimensions: [UInt32]
        let data: [UInt8]
        let expected: IDXElements
        var testDescription: String { name }
    }

    static let roundTrips: [RoundTrip] = [
        RoundTrip(name: "ubyte 1-D", type: 0x08, dimensions: [3], data: [0, 128, 255], expected: .uint8([0, 128, 255])),
        RoundTrip(name: "int8 3-D", type: 0x09, dimensions: [2, 1, 2], data: [0x00, 0x7F, 0x80, 0xFF],
                  expected: .int8([0, 127, -128, -1])),
        RoundTrip(name: "int16 1-D", type: 0x0B, dimensions: [3], data: [0x01, 0x02, 0xFF, 0xFE, 0x80, 0x00],
                  expected: .int16([0x0102, -2, .min])),
        RoundTrip(name: "int32 4-D", type: 0x0C, dimensions: [1, 2, 1, 1],
                  data: [0x01, 0x02, 0x03, 0x04, 0xFF, 0xFF, 0xFF, 0xFF], expected: .int32([0x0102_0304, -1])),
        RoundTrip(name: "float32 1-D", type: 0x0D, dimensions: [2], data: [0x3F, 0x80, 0, 0, 0xC0, 0x20, 0, 0],
                  expected: .float32([1.0, -2.5])),
        RoundTrip(name: "float64 3-D", type: 0x0E, dimensions: [1, 1, 2],
                  data: [0x3F, 0xF0, 0, 0, 0, 0, 0, 0, 0x40, 0x09, 0x21, 0xFB, 0x54, 0x44, 0x2D, 0x18],
                  expected: .float64([1.0, 3.141592653589793])),
        RoundTrip(name: "ubyte 3-D with an empty dimension", type: 0x08, dimensions: [0, 28, 28], data: [],
                  expected: .uint8([])),
    ]

    @Test(arguments: roundTrips, [false, true])
    func decodesEveryElementTypeAndShape(_ case_: RoundTrip, gzip: Bool) throws {
        let directory = TemporaryDirectory()
        let bytes = Fixtures.idxHeader(type: case_.type, dimensions: case_.dimensions) + case_.data
        let path = try directory.write("array", gzip ? Fixtures.gzip(bytes) : bytes)
        let array = try IDXArray.read(path: path)
        #expect(array.header.elementType.rawValue == case_.type)
        #expect(array.header.dimensions == case_.dimensions.map(Int.init))
        #expect(array.header.headerByteCount == 4 + 4 * case_.dimensions.count)
        #expect(array.header.dataByteCount == case_.data.count)
        #expect(array.elements == case_.expected)
    }

    @Test func readsTheSameArrayAcrossManyGzipChunks() throws {
        // 300 KB of ubyte data: several 64 KiB input chunks and output calls.
        let data = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 * 31 + $0 / 1000) }
        let directory = TemporaryDirectory()
        let path = try directory.write("large.gz", Fixtures.gzip(Fixtures.idxHeader(type: 8, dimensions: [300, 1000]) + data))
        #expect(try IDXArray.read(path: path).elements == .uint8(data))
    }
}
