import MNISTPictures
import Testing

/// Every Netpbm variant the reader accepts gives the same grey levels as the
/// equivalent 8-bit grey picture.
@Suite struct PNMReaderTests {
    static let cases: [(String, [UInt8])] = [
        ("P2 plain grey", Array("P2\n# a comment\n2 2\n255\n0 100\n200 255\n".utf8)),
        ("P2 maxval 1000", Array("P2 2 2 1000 0 392 784 1000".utf8)),
        ("P5 raw grey", Array("P5\n2 2\n255\n".utf8) + [0, 100, 200, 255]),
        ("P5 16-bit", Array("P5\n2 2\n65535\n".utf8) + [0, 0, 0x64, 0x64, 0xC8, 0xC8, 0xFF, 0xFF]),
        ("P3 plain colour", Array("P3\n2 2\n255\n0 0 0  100 100 100\n200 200 200  255 255 255\n".utf8)),
        ("P6 raw colour", Array("P6\n2 2\n255\n".utf8) + [0, 0, 0, 100, 100, 100, 200, 200, 200, 255, 255, 255]),
        ("P6 16-bit", Array("P6 2 2 65535\n".utf8) + [UInt8](repeating: 0, count: 6) + [UInt8](repeating: 0x64, count: 6)
            + [UInt8](repeating: 0xC8, count: 6) + [UInt8](repeating: 0xFF, count: 6)),
    ]

    @Test(arguments: cases.indices)
    func readsEveryVariantAsTheSameGreyLevels(_ index: Int) throws {
        let (name, bytes) = Self.cases[index]
        let image = try PNMReader.read(bytes, path: name)
        #expect(image == GreyImage(width: 2, height: 2, pixels: [0, 100, 200, 255]), "\(name)")
    }

    @Test func colourIsWeightedLikeLibpng() throws {
        let image = try PNMReader.read(Array("P3 3 1 255 255 0 0 0 255 0 0 0 255".utf8), path: "rgb")
        #expect(image.pixels == [54, 182, 18], "Rec. 709: 0.2126 R + 0.7152 G + 0.0722 B")
    }
}
