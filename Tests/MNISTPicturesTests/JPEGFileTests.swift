import Foundation
import MNISTPictures
import Testing
import TestSupport

/// JPEGs made here with libjpeg (`JPEGFile.encode`) must read back as the
/// grey levels a viewer shows, upright as their EXIF orientation says.
@Suite struct JPEGFileTests {
    /// A picture of solid `block`×`block` squares, one grey level or colour
    /// each (`levels[row][column]`, `components` bytes per entry): JPEG keeps
    /// a solid square's level to within a level or two.
    static func blocks(_ levels: [[[UInt8]]], block: Int) -> (pixels: [UInt8], width: Int, height: Int) {
        let rows = levels.count, columns = levels[0].count
        var pixels: [UInt8] = []
        for y in 0..<(rows * block) {
            for x in 0..<(columns * block) { pixels += levels[y / block][x / block] }
        }
        return (pixels, columns * block, rows * block)
    }

    /// The level at the middle of each `block`×`block` square of `image`.
    static func centres(_ image: GreyImage, block: Int) -> [[Int]] {
        (0..<(image.height / block)).map { row in
            (0..<(image.width / block)).map { column in Int(image[column * block + block / 2, row * block + block / 2]) }
        }
    }

    static func expectClose(_ found: [[Int]], _ expected: [[Int]], within tolerance: Int = 3, _ what: String) {
        let close = found.count == expected.count && zip(found, expected).allSatisfy { row, wanted in
            row.count == wanted.count && zip(row, wanted).allSatisfy { abs($0 - $1) <= tolerance }
        }
        #expect(close, "\(what): found \(found), expected \(expected)")
    }

    static func read(_ bytes: [UInt8], _ name: String = "picture.jpg") throws -> GreyImage {
        let folder = TemporaryDirectory()
        return try ImageFile.read(path: try folder.write(name, bytes))
    }

    static let greyLevels: [[Int]] = [[0, 60, 120], [180, 220, 255]]

    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func readsGreyJPEGsBaselineProgressiveAndArithmetic(progressive: Bool, arithmetic: Bool) throws {
        let picture = Self.blocks(Self.greyLevels.map { $0.map { [UInt8($0)] } }, block: 8)
        let bytes = try JPEGFile.encode(picture.pixels, width: picture.width, height: picture.height, components: 1,
                                        quality: 95, progressive: progressive, arithmetic: arithmetic)
        let image = try Self.read(bytes)
        #expect(image.width == 24 && image.height == 16)
        Self.expectClose(Self.centres(image, block: 8), Self.greyLevels, "progressive \(progressive), arithmetic \(arithmetic)")
    }

    @Test func colourIsWeightedLikePNGAndPPM() throws {
        // Red, green, blue, white and a mid grey, in 16×16 squares (4:2:0
        // chroma covers 16×16): Rec. 709 gives 54, 182, 18, 255, 128.
        let colours: [[UInt8]] = [[255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 255], [128, 128, 128]]
        let picture = Self.blocks([colours], block: 16)
        let image = try Self.read(try JPEGFile.encode(picture.pixels, width: picture.width, height: picture.height,
                                                      components: 3, quality: 100))
        Self.expectClose(Self.centres(image, block: 16), [[54, 182, 18, 255, 128]], within: 4, "RGB JPEG")
        let ppm = try PNMReader.read(Array("P6 5 1 255\n".utf8) + colours.flatMap { $0 }, path: "colours.ppm")
        #expect(ppm.pixels == [54, 182, 18, 255, 128])
    }

    @Test(arguments: [false, true])
    func readsCMYKWithAdobeInvertedValues(progressive: Bool) throws {
        // Stored as Photoshop does, 255 = no ink: black (K), white, cyan, and
        // 50% black. Cyan takes out red: grey = 0.7152 + 0.0722 of white.
        let inks: [[UInt8]] = [[255, 255, 255, 0], [255, 255, 255, 255], [0, 255, 255, 255], [255, 255, 255, 128]]
        let picture = Self.blocks([inks], block: 16)
        let bytes = try JPEGFile.encode(picture.pixels, width: picture.width, height: picture.height, components: 4,
                                        quality: 100, progressive: progressive)
        let image = try Self.read(bytes)
        Self.expectClose(Self.centres(image, block: 16), [[0, 255, 201, 128]], within: 4, "CMYK JPEG")
    }

    // MARK: EXIF orientation

    /// An APP1 segment holding EXIF data whose IFD0 has a dummy tag and then
    /// the orientation, in either byte order.
    static func exifSegment(orientation: Int, bigEndian: Bool) -> [UInt8] {
        func u16(_ v: Int) -> [UInt8] { bigEndian ? [UInt8(v >> 8), UInt8(v & 0xFF)] : [UInt8(v & 0xFF), UInt8(v >> 8)] }
        func u32(_ v: Int) -> [UInt8] { bigEndian ? u16(v >> 16) + u16(v & 0xFFFF) : u16(v & 0xFFFF) + u16(v >> 16) }
        var tiff: [UInt8] = (bigEndian ? Array("MM".utf8) : Array("II".utf8)) + u16(42) + u32(8)
        tiff += u16(2)
        tiff += u16(0x010F) + u16(2) + u32(4) + Array("Pho\0".utf8)  // Make, ASCII, in the value field
        tiff += u16(0x0112) + u16(3) + u32(1) + u16(orientation) + u16(0)
        tiff += u32(0)  // no IFD1
        let data = Array("Exif\0\0".utf8) + tiff
        let length = data.count + 2
        return [0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + data
    }

    /// `jpeg` with `segment` inserted right after SOI, where phones put EXIF.
    static func inserting(_ segment: [UInt8], into jpeg: [UInt8]) -> [UInt8] {
        Array(jpeg[0..<2]) + segment + Array(jpeg[2...])
    }

    /// Stored blocks a b c / d e f, and what each orientation shows upright,
    /// written out by hand.
    static let (a, b, c, d, e, f) = (0, 50, 100, 150, 200, 250)
    static let upright: [Int: [[Int]]] = [
        1: [[a, b, c], [d, e, f]],
        2: [[c, b, a], [f, e, d]],
        3: [[f, e, d], [c, b, a]],
        4: [[d, e, f], [a, b, c]],
        5: [[a, d], [b, e], [c, f]],
        6: [[d, a], [e, b], [f, c]],
        7: [[f, c], [e, b], [d, a]],
        8: [[c, f], [b, e], [a, d]],
    ]

    @Test(arguments: 1...8, [false, true])
    func turnsThePictureUprightAsItsEXIFOrientationSays(orientation: Int, bigEndian: Bool) throws {
        let picture = Self.blocks([[Self.a, Self.b, Self.c], [Self.d, Self.e, Self.f]].map { $0.map { [UInt8($0)] } }, block: 8)
        let jpeg = try JPEGFile.encode(picture.pixels, width: 24, height: 16, components: 1, quality: 100)
        let image = try Self.read(Self.inserting(Self.exifSegment(orientation: orientation, bigEndian: bigEndian), into: jpeg))
        #expect((image.width, image.height) == (orientation >= 5 ? (16, 24) : (24, 16)))
        Self.expectClose(Self.centres(image, block: 8), Self.upright[orientation]!, "orientation \(orientation)")
    }

    @Test func anXMPSegmentBeforeTheEXIFOneIsSkipped() throws {
        let picture = Self.blocks([[[0], [255]]], block: 8)
        let jpeg = try JPEGFile.encode(picture.pixels, width: 16, height: 8, components: 1, quality: 100)
        let xmp = Array("http://ns.adobe.com/xap/1.0/\0<x/>".utf8)
        let xmpSegment: [UInt8] = [0xFF, 0xE1, 0, UInt8(xmp.count + 2)] + xmp
        let image = try Self.read(Self.inserting(xmpSegment + Self.exifSegment(orientation: 3, bigEndian: false), into: jpeg))
        Self.expectClose(Self.centres(image, block: 8), [[255, 0]], "turned 180°")
    }

    static let badEXIF: [(String, [UInt8])] = {
        let good = Array(exifSegment(orientation: 6, bigEndian: false).dropFirst(4))
        func patched(_ at: Int, _ bytes: [UInt8], _ more: (Int, [UInt8])? = nil) -> [UInt8] {
            var data = good
            for (at, bytes) in [(at, bytes)] + (more.map { [$0] } ?? []) {
                data.replaceSubrange(at..<(at + bytes.count), with: bytes)
            }
            return data
        }
        let tiff = 6, ifd = tiff + 8, orientationEntry = ifd + 2 + 12
        return [
            ("no identifier", Array(good.dropFirst(6))),
            ("cut inside the TIFF header", Array(good.prefix(tiff + 6))),
            ("cut inside the orientation entry", Array(good.prefix(orientationEntry + 9))),
            ("unknown byte order", patched(tiff, Array("XX".utf8))),
            ("not 42", patched(tiff + 2, [43, 0])),
            ("IFD0 beyond the end", patched(tiff + 4, [0xFF, 0xFF, 0xFF, 0xFF])),
            ("65535 entries, none of them the orientation", patched(ifd, [0xFF, 0xFF], (orientationEntry, [0x13, 0x01]))),
            ("orientation as a LONG", patched(orientationEntry + 2, [4, 0])),
            ("orientation 0", patched(orientationEntry + 8, [0, 0])),
            ("orientation 9", patched(orientationEntry + 8, [9, 0])),
            ("a count of 0", patched(orientationEntry + 4, [0, 0, 0, 0])),
        ]
    }()

    @Test(arguments: badEXIF.indices)
    func unreadableEXIFLeavesThePictureAsStored(_ index: Int) {
        let (name, data) = Self.badEXIF[index]
        #expect(ExifOrientation.value(inAPP1: data) == nil, "\(name)")
    }

    @Test func theUnpatchedEXIFReadsBack() {
        #expect(ExifOrientation.value(inAPP1: Array(Self.exifSegment(orientation: 6, bigEndian: false).dropFirst(4))) == 6)
        #expect(ExifOrientation.value(inAPP1: Array(Self.exifSegment(orientation: 8, bigEndian: true).dropFirst(4))) == 8)
    }
}
