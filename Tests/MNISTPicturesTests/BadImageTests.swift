import CZlib
import Foundation
import MNISTPictures
import Testing
import TestSupport

/// Every kind of bad picture gets its own error kind, before any large
/// allocation, and the exit code class the tools map it to.
@Suite struct BadImageTests {
    /// A PNG chunk with its CRC (zlib's crc32 over type and data).
    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typed = Array(type.utf8) + data
        let crc = typed.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, UInt32($0.count))) }
        return bigEndian(UInt32(data.count)) + typed + bigEndian(crc)
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (24 - 8 * $0)) } }

    static func header(width: UInt32, height: UInt32) -> [UInt8] {
        PNGFile.signature + chunk("IHDR", bigEndian(width) + bigEndian(height) + [8, 0, 0, 0, 0])
    }

    /// A valid 4×4 grey PNG written by the project.
    static func validPNG(in folder: TemporaryDirectory) throws -> [UInt8] {
        try PNGFile.write(path: folder.file("valid.png"), width: 4, height: 4, bitDepth: 8, colorType: .grey,
                          data: (0..<16).map { UInt8($0 * 16) })
        return try folder.bytes("valid.png")
    }

    /// A valid 64×64 grey JPEG of noise (so its scan data is long), written by libjpeg.
    static func validJPEG() throws -> [UInt8] {
        var state: UInt32 = 1
        let pixels = (0..<(64 * 64)).map { _ in
            state = state &* 1_664_525 &+ 1_013_904_223
            return UInt8(state >> 24)
        }
        return try JPEGFile.encode(pixels, width: 64, height: 64, components: 1, quality: 90)
    }

    /// Where marker `code`'s segment starts (its FF) in `jpeg`, walking the
    /// segments from SOI; the scan data follows the SOS segment.
    static func segment(_ code: UInt8, in jpeg: [UInt8]) -> Int {
        var at = 2
        while jpeg[at + 1] != code { at += 2 + Int(jpeg[at + 2]) << 8 + Int(jpeg[at + 3]) }
        return at
    }

    /// A valid JPEG whose frame header (SOF0) declares `width`×`height`.
    static func jpeg(width: Int, height: Int) throws -> [UInt8] {
        var bytes = try validJPEG()
        let sof = segment(0xC0, in: bytes)
        bytes.replaceSubrange((sof + 5)..<(sof + 9), with: [UInt8(height >> 8), UInt8(height & 0xFF),
                                                            UInt8(width >> 8), UInt8(width & 0xFF)])
        return bytes
    }

    /// A valid JPEG with `replacement` written over its scan data 100 bytes
    /// before the end. (libjpeg-turbo decodes a bad Huffman code as 0 without
    /// a warning while more than 512 bytes remain, on its fast path.)
    static func jpegWithScanData(_ replacement: [UInt8]) throws -> [UInt8] {
        var bytes = try validJPEG()
        let at = bytes.count - 100
        bytes.replaceSubrange(at..<(at + replacement.count), with: replacement)
        return bytes
    }

    enum Expected: Sendable { case kind(ImageError.Kind), malformedPNG, malformedPNM, malformedJPEG(String) }

    static let cases: [(String, @Sendable (TemporaryDirectory) throws -> [UInt8], Expected)] = [
        ("empty file", { _ in [] }, .kind(.emptyFile)),
        ("not an image", { _ in Array("hello, world\n".utf8) }, .kind(.unknownFormat(found: Array("hell".utf8)))),
        ("zero width", { _ in header(width: 0, height: 3) + chunk("IEND", []) }, .kind(.zeroSize(width: 0, height: 3))),
        ("huge dimensions", { _ in header(width: 100_000, height: 100_000) + chunk("IEND", []) },
         .kind(.tooLarge(width: 100_000, height: 100_000, limit: 8192))),
        ("truncated PNG", { folder in Array(try validPNG(in: folder).dropLast(20)) }, .malformedPNG),
        ("signature only", { _ in PNGFile.signature }, .malformedPNG),
        ("wrong CRC", { folder in
            var bytes = try validPNG(in: folder)
            bytes[29] ^= 0xFF  // the last byte of IHDR's CRC
            return bytes
        }, .malformedPNG),
        ("corrupt IDAT data", { folder in
            var bytes = try validPNG(in: folder)
            let idat = bytes.indices.first { bytes[$0..<($0 + 4)].elementsEqual("IDAT".utf8) }!
            bytes[idat + 6] ^= 0x55
            let length = Int(bytes[idat - 1])
            let fixed = chunk("IDAT", Array(bytes[(idat + 4)..<(idat + 4 + length)]))
            bytes.replaceSubrange((idat - 4)..<(idat + 8 + length), with: fixed)
            return bytes
        }, .malformedPNG),
        ("JPEG signature only", { _ in JPEGFile.signature }, .malformedJPEG("the file ends early")),
        ("JPEG of SOI and EOI", { _ in [0xFF, 0xD8, 0xFF, 0xD9] }, .malformedJPEG("JPEG datastream contains no image")),
        ("truncated JPEG", { _ in Array(try validJPEG().dropLast(300)) }, .malformedJPEG("the file ends early")),
        ("JPEG cut after its header", { _ in Array(try validJPEG().prefix(segment(0xDA, in: try validJPEG()) + 14)) },
         .malformedJPEG("the file ends early")),
        ("JPEG scan data with a bad Huffman code", { _ in try jpegWithScanData([0xFF, 0x00, 0xFF, 0x00, 0xFF, 0x00, 0xFF, 0x00]) },
         .malformedJPEG("damaged image data in scan 1 (libjpeg: Corrupt JPEG data: bad Huffman code)")),
        ("JPEG scan data cut by a marker", { _ in try jpegWithScanData([0xFF, 0xD9]) },
         .malformedJPEG("damaged image data in scan 1 (libjpeg: Corrupt JPEG data: premature end of data segment)")),
        ("JPEG of huge dimensions", { _ in try jpeg(width: 60000, height: 60000) },
         .kind(.tooLarge(width: 60000, height: 60000, limit: 8192))),
        ("JPEG beyond libjpeg's own limit", { _ in try jpeg(width: 65535, height: 65535) },
         .kind(.tooLarge(width: 65535, height: 65535, limit: 8192))),
        ("JPEG of zero height", { _ in try jpeg(width: 64, height: 0) }, .kind(.zeroSize(width: 64, height: 0))),
        ("PGM cut short", { _ in Array("P5\n4 4\n255\n".utf8) + [1, 2, 3] }, .kind(.truncatedPNM(expectedSamples: 16, foundSamples: 3))),
        ("PGM of huge size", { _ in Array("P5\n90000 90000\n255\n".utf8) }, .kind(.tooLarge(width: 90000, height: 90000, limit: 8192))),
        ("PGM of zero size", { _ in Array("P2\n0 4\n255\n".utf8) }, .kind(.zeroSize(width: 0, height: 4))),
        ("PGM maxval 0", { _ in Array("P2\n1 1\n0\n0\n".utf8) }, .malformedPNM),
        ("PPM with a word for a width", { _ in Array("P3\nwide 4\n255\n".utf8) }, .malformedPNM),
        // fuzz-image's out-of-memory input (2026-11-29): a P2 header of 44444×5 whose
        // comment hides a P5 header. It was refused; the memory went on large valid
        // pictures before it, which the preprocessor then copied into Int and Double
        // arrays (1.1 GB for 8192×8192).
        ("fuzz-image OOM input", { _ in fuzzOOMInput }, .kind(.tooLarge(width: 44444, height: 5, limit: 8192))),
        // fuzz-image's second finding: a 29-byte P6 header of 4551×5535 made the reader
        // allocate 604 MB of samples before it found the data missing.
        ("raw PPM header with no data (fuzz-image)", { _ in Array("P64551  5535\n1  5535\n\0P1 2 ! ".utf8) },
         .kind(.truncatedPNM(expectedSamples: 4551 * 5535 * 3, foundSamples: 14))),
        ("plain PGM header of 8000×8000 with 3 samples", { _ in Array("P2 8000 8000 255\n1 2 3".utf8) },
         .kind(.truncatedPNM(expectedSamples: 64_000_000, foundSamples: 3))),
        ("plain PPM sample above maxval before the data runs out", { _ in Array("P3 8000 8000 15\n1 2 16".utf8) },
         .malformedPNM),
    ]

    static let fuzzOOMInput: [UInt8] = [
           0x50, 0x32, 0x34, 0x34, 0x34, 0x34, 0x34, 0x23, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x20,
           0x13, 0x13, 0x13, 0x13, 0x13, 0x13, 0x13, 0x13, 0x13, 0x13, 0x50, 0x35, 0x0a, 0x35, 0x0a, 0x32, 0x38,
           0x20, 0x32, 0x38, 0x0a, 0x32, 0x35, 0x35, 0x0a, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
           0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
           0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
           0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x3d, 0xf2,
           0xfe, 0xfe, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
           0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
           0x00, 0x00
    ]

    @Test(arguments: cases.indices)
    func rejectsBadImageWithItsKind(_ index: Int) throws {
        let (name, make, expected) = Self.cases[index]
        let folder = TemporaryDirectory()
        let path = try folder.write("bad", try make(folder))
        let error = #expect(throws: ImageError.self, "\(name)") { try ImageFile.read(path: path) }
        guard let error else { return }
        switch (expected, error.kind) {
        case (.kind(let kind), let found): #expect(found == kind, "\(name): \(error)")
        case (.malformedPNG, .malformedPNG), (.malformedPNM, .malformedPNM): break
        case (.malformedJPEG(let start), .malformedJPEG(let message)):
            #expect(message.hasPrefix(start), "\(name): \(error)")
            #expect(error.offset.map { $0 <= (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? -1 } == true,
                    "\(name): the offset lies in the file: \(error)")
        default: Issue.record("\(name): unexpected \(error)")
        }
        #expect(!error.isUnreadableFile, "\(name) is read, so it is malformed (65), not unreadable (66)")
        #expect(error.description.hasPrefix(path + ": "))
    }

    @Test func missingFileAndDirectoryAreUnreadable() throws {
        let folder = TemporaryDirectory()
        let missing = #expect(throws: ImageError.self) { try ImageFile.read(path: folder.file("missing.png")) }
        #expect(missing?.kind == .cannotOpen(errno: ENOENT))
        let directory = #expect(throws: ImageError.self) { try ImageFile.read(path: folder.path) }
        #expect(directory?.kind == .isDirectory)
        #expect(missing?.isUnreadableFile == true && directory?.isUnreadableFile == true)
    }

    @Test func notAnImageNamesEveryFormat() throws {
        let folder = TemporaryDirectory()
        let path = try folder.write("seven_photo.heic", [0, 0, 0, 0x18, 0x66, 0x74])
        let error = #expect(throws: ImageError.self) { try ImageFile.read(path: path) }
        #expect(error?.description == "\(path): not an image; expected a PNG (89 50 4e 47), JPEG (ff d8 ff) or PGM/PPM"
                + " (P2, P3, P5, P6) signature, found 00 00 00 18")
    }

    @Test func aDamagedJPEGNamesTheByteLibjpegReadTo() throws {
        let folder = TemporaryDirectory()
        let path = try folder.write("cut.jpg", Array(try Self.validJPEG().dropLast(300)))
        let error = #expect(throws: ImageError.self) { try ImageFile.read(path: path) }
        let size = try Self.validJPEG().count - 300
        #expect(error?.description == "\(path): byte \(size): malformed JPEG: the file ends early (libjpeg: Premature end of JPEG file)")
    }

    @Test func aProgressiveJPEGOfMoreScansThanTheLimitIsRefused() throws {
        let pixels = [UInt8](repeating: 128, count: 16 * 16 * 3)
        let bytes = try JPEGFile.encode(pixels, width: 16, height: 16, components: 3, progressive: true)
        #expect(throws: Never.self) { try JPEGFile.read(bytes, path: "ten-scans.jpg") }
        let error = #expect(throws: ImageError.self) { try JPEGFile.read(bytes, path: "ten-scans.jpg", scanLimit: 4) }
        #expect(error?.kind == .malformedJPEG("too many scans; expected at most 4"))
    }

    @Test func namesTheTooLargeSizeInTheMessage() throws {
        let folder = TemporaryDirectory()
        let path = try folder.write("huge.png", Self.header(width: 9000, height: 20) + Self.chunk("IEND", []))
        let error = #expect(throws: ImageError.self) { try ImageFile.read(path: path) }
        #expect(error?.description == "\(path): image too large; expected at most 8192×8192 pixels, found 9000×20")
    }
}
