import Foundation
import MNISTData
import Testing
import TestSupport

/// One hostile file given to the built `mnist-eval` as images, labels or
/// weights, and the exact exit code and message it must produce.
struct MalformedFile: Sendable, CustomTestStringConvertible {
    enum Role: Sendable {
        case images, labels, weights
        /// Images with no labels (the file name must not contain "images"):
        /// the count is checked against the data, not against a labels file.
        case unlabelledImages
    }
    enum Content: Sendable {
        case bytes([UInt8])
        case directory
        /// A symlink to itself: `open` fails with ELOOP, even for root (who
        /// reads a chmod 000 file anyway, so that is no test of "unreadable").
        case symlinkLoop
    }

    let name: String
    let role: Role
    let content: Content
    let status: Int32
    /// The `byte N` the message must give; nil where no offset applies.
    let offset: UInt64?
    /// Text the message must contain: the problem, and what was expected.
    let problem: String
    /// The error is about the images file even though this file is the labels (a count mismatch).
    var blamesImages = false

    init(_ name: String, _ role: Role, _ content: Content, exit status: Int32 = 65, byte offset: UInt64?,
         _ problem: String, blamesImages: Bool = false) {
        self.name = name
        self.role = role
        self.content = content
        self.status = status
        self.offset = offset
        self.problem = problem
        self.blamesImages = blamesImages
    }

    init(_ name: String, _ role: Role, _ bytes: [UInt8], exit status: Int32 = 65, byte offset: UInt64?,
         _ problem: String, blamesImages: Bool = false) {
        self.init(name, role, .bytes(bytes), exit: status, byte: offset, problem, blamesImages: blamesImages)
    }

    var testDescription: String { name }

    /// The file name: the case name in lower case, words joined by dashes.
    var fileName: String {
        name.lowercased().split { !$0.isLetter && !$0.isNumber }.joined(separator: "-")
    }

    static let goodImages = "subset-images-idx3-ubyte.gz"
    static let goodLabels = "subset-labels-idx1-ubyte.gz"
    static let goodWeights = "w.safetensors"

    var arguments: [String] {
        switch role {
        case .unlabelledImages: return [fileName, "--weights", Self.goodWeights]
        case .images: return [fileName, "--weights", Self.goodWeights, "--labels", Self.goodLabels]
        case .labels: return [Self.goodImages, "--weights", Self.goodWeights, "--labels", fileName]
        case .weights: return [Self.goodImages, "--weights", fileName, "--labels", Self.goodLabels]
        }
    }

    func create(in fixture: Fixture) throws {
        let path = fixture.file(fileName)
        try? FileManager.default.removeItem(atPath: path)
        switch content {
        case .bytes(let bytes): try fixture.write(fileName, bytes)
        case .directory: try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        case .symlinkLoop: try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: fileName)
        }
    }
}

/// Builders for the malformed files: IDX, gzip and safetensors bytes by hand.
enum Hostile {
    static func header(type: UInt8 = 8, _ dimensions: [UInt32]) -> [UInt8] {
        [0, 0, type, UInt8(dimensions.count)] + dimensions.flatMap { d in withUnsafeBytes(of: d.bigEndian) { Array($0) } }
    }

    /// `count` 28×28 images of a fixed pattern (the subset has 3 images and 3 labels).
    static func images(_ count: Int) -> [UInt8] {
        header([UInt32(count), 28, 28]) + (0..<(count * 784)).map { UInt8($0 * 31 % 256) }
    }

    static func labels(_ values: [UInt8]) -> [UInt8] { header([UInt32(values.count)]) + values }

    static func gzip(_ bytes: [UInt8]) -> [UInt8] { try! Gzip.compress(bytes) }

    /// A gzip member with byte `index` (counted from the end when negative) XOR `mask`.
    static func flipped(_ bytes: [UInt8], at index: Int, _ mask: UInt8 = 0xFF) -> [UInt8] {
        var bytes = bytes
        bytes[index < 0 ? bytes.count + index : index] ^= mask
        return bytes
    }

    static let images3 = images(3)
    static let gzipImages3 = gzip(images3)

    /// A small gzip file that inflates to over 1 GiB: three images, then 1024
    /// members of 1 MiB of zeros each (each member ~1 KB; `gzip -d` reads it all).
    static let multiMemberBomb: [UInt8] = {
        let zeros = gzip([UInt8](repeating: 0, count: 1 << 20))
        var bytes = gzipImages3
        bytes.reserveCapacity(bytes.count + 1024 * zeros.count)
        for _ in 0..<1024 { bytes += zeros }
        return bytes
    }()

    /// One member: three images, then 64 MiB of zeros (about 64 KB compressed).
    static let singleMemberBomb = gzip(images3 + [UInt8](repeating: 0, count: 64 << 20))

    /// A safetensors file: 8-byte length, the JSON header (padded), the data.
    static func safetensors(_ json: String, _ data: [UInt8], length: UInt64? = nil) -> [UInt8] {
        var header = Array(json.utf8)
        while header.count % 8 != 0 { header.append(0x20) }
        return withUnsafeBytes(of: (length ?? UInt64(header.count)).littleEndian) { Array($0) } + header + data
    }

    static func f32(_ values: [Float]) -> [UInt8] {
        values.flatMap { v in withUnsafeBytes(of: v.bitPattern.littleEndian) { Array($0) } }
    }

    /// A 784-1-10 network's tensors; `w2Rows` and the offsets can be made wrong.
    static func weights(w2Rows: Int = 1, dtype: String = "F32", nanAt: Int? = nil, infInBias: Bool = false,
                        b1Offsets: (Int, Int)? = nil, w2End: Int? = nil) -> [UInt8] {
        var w1 = [Float](repeating: 0.01, count: 784)
        if let nanAt { w1[nanAt] = .nan }
        var b2 = [Float](repeating: 0, count: 10)
        if infInBias { b2[7] = .infinity }
        let data = f32(w1) + f32([0.5]) + f32([Float](repeating: 0.1, count: w2Rows * 10)) + f32(b2)
        let w1End = 784 * 4, b1 = b1Offsets ?? (w1End, w1End + 4), w2 = (b1.1, w2End ?? b1.1 + w2Rows * 40)
        let json = """
            {"W1":{"dtype":"\(dtype)","shape":[784,1],"data_offsets":[0,\(w1End)]},\
            "b1":{"dtype":"F32","shape":[1],"data_offsets":[\(b1.0),\(b1.1)]},\
            "W2":{"dtype":"F32","shape":[\(w2Rows),10],"data_offsets":[\(w2.0),\(w2.1)]},\
            "b2":{"dtype":"F32","shape":[10],"data_offsets":[\(w2.0 + w2Rows * 40),\(w2.0 + w2Rows * 40 + 40)]}}
            """
        return safetensors(json, data)
    }
}

@Suite struct MalformedFileTests {
    typealias Case = MalformedFile
    static let gzipImages = Hostile.gzipImages3
    /// The gzip images member: a 10-byte header, the deflate data, an 8-byte trailer.
    static let gzipSize = UInt64(gzipImages.count)
    static let imagesSize = UInt64(Hostile.images3.count)
    /// File offset of the weights' data section (after the length and the JSON header).
    static let weightsData: UInt64 = {
        let bytes = Hostile.weights()
        return 8 + bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
    }()

    static let cases: [Case] = [
        // The file as a whole.
        Case("empty file", .images, [], byte: 0, "empty file; expected an MNIST IDX file (gzip or raw), found 0 bytes"),
        Case("neither gzip nor IDX", .images, Array("P5 28 28 255\n".utf8), byte: 0,
             "unknown file format; expected gzip magic 1f 8b or IDX magic 00 00 TT NN, found 50 35 20 32"),
        Case("images path is a directory", .images, .directory, exit: 66, byte: nil,
             "is a directory; expected an MNIST IDX file"),
        Case("images path loops through a symlink", .images, .symlinkLoop, exit: 66, byte: nil,
             "cannot open: Too many levels of symbolic links"),
        Case("labels path is a directory", .labels, .directory, exit: 66, byte: nil, "is a directory"),

        // Gzip.
        Case("gzip truncated inside the header", .images, Array(gzipImages.prefix(6)), byte: 6,
             "truncated gzip header; expected the rest of the header, found end of file"),
        Case("gzip truncated inside the deflate stream", .images, Array(gzipImages.prefix(40)), byte: 40,
             "truncated gzip data; expected the rest of the deflate data and the 8-byte trailer, found end of file"),
        Case("gzip truncated inside the trailer", .images, Array(gzipImages.dropLast(3)), byte: gzipSize - 3,
             "truncated gzip data; expected the rest of the deflate data"),
        Case("gzip with flipped bits in the deflate data", .images, Hostile.flipped(gzipImages, at: 12), byte: 15,
             "corrupt gzip data: invalid distance too far back; expected valid deflate data"),
        Case("gzip with a wrong CRC-32", .images, Hostile.flipped(gzipImages, at: -8, 1), byte: gzipSize - 8,
             "gzip CRC-32 mismatch; expected 0x"),
        Case("gzip with a wrong length trailer", .images, Hostile.flipped(gzipImages, at: -4, 1), byte: gzipSize - 4,
             "gzip length mismatch; expected \(imagesSize ^ 1) bytes (ISIZE), found \(imagesSize) bytes (mod 2^32)"),
        Case("gzip with trailing garbage after the last member", .images, gzipImages + Array("junk".utf8),
             byte: gzipSize, "trailing garbage after gzip data; expected end of file or another gzip member (1f 8b), found 6a"),
        Case("gzip with reserved header flags", .images, Hostile.flipped(gzipImages, at: 3, 0x80), byte: 3,
             "bad gzip header: unknown header flags set; expected a gzip header (RFC 1952)"),
        Case("gzip with an unknown compression method", .images, Hostile.flipped(gzipImages, at: 2, 0x0F), byte: 2,
             "bad gzip header: unknown compression method; expected a gzip header (RFC 1952)"),

        // IDX header.
        Case("IDX magic with non-zero first bytes", .images, Hostile.gzip([1, 2] + Hostile.images3.dropFirst(2)),
             byte: 0, "bad IDX magic; expected 00 00, found 01 02"),
        Case("raw IDX magic with a non-zero second byte", .images, [0, 1] + Hostile.images3.dropFirst(2), byte: 0,
             "unknown file format; expected gzip magic 1f 8b or IDX magic 00 00 TT NN, found 00 01 08 03"),
        Case("unknown element type", .images, Hostile.flipped(Hostile.images3, at: 2, 0x02), byte: 2,
             "unknown IDX element type; expected one of 08 09 0b 0c 0d 0e, found 0a"),
        Case("zero dimensions", .images, [0, 0, 8, 0], byte: 3, "IDX header declares zero dimensions; expected at least 1, found 0"),
        Case("IDX header truncated in the dimensions", .images, Array(Hostile.images3.prefix(10)), byte: 10,
             "truncated IDX header; expected 16 header bytes, found 10"),
        Case("dimension product overflowing 64 bits", .images,
             Hostile.header(type: 0x0E, [.max, .max, .max]) + [1, 2, 3], byte: 4,
             "IDX data size overflows; expected a size that fits in 64 bits"),

        // IDX sizes.
        Case("2^31 declared in a raw file", .unlabelledImages, Hostile.header([1 << 31, 28, 28]) + [UInt8](repeating: 7, count: 100),
             byte: 116, "truncated IDX data; expected \((1 << 31) * 784) bytes of data, found 100"),
        Case("2^31 declared in a gzip file", .unlabelledImages,
             Hostile.gzip(Hostile.header([1 << 31, 28, 28]) + [UInt8](repeating: 7, count: 100)),
             byte: 116, "truncated IDX data; expected \((1 << 31) * 784) bytes of data, found 100"),
        Case("images missing pixels", .images, Array(Hostile.images3.dropLast(5)), byte: imagesSize - 5,
             "truncated IDX data; expected 2352 bytes of data, found 2347"),
        Case("raw bytes after the declared images", .images, Hostile.images3 + [0], byte: imagesSize,
             "trailing data after the IDX data; expected end of data, found more bytes"),
        Case("gzip bomb of many members", .images, Hostile.multiMemberBomb, byte: imagesSize,
             "byte \(imagesSize) of the decompressed data: trailing data after the IDX data; expected end of data"),
        Case("gzip bomb in one member", .images, Hostile.singleMemberBomb, byte: imagesSize,
             "byte \(imagesSize) of the decompressed data: trailing data after the IDX data; expected end of data"),

        // MNIST meaning.
        Case("images that are not 28x28", .images, Hostile.header([3, 28, 27]) + [UInt8](repeating: 0, count: 3 * 28 * 27),
             byte: 0, "not an MNIST images file; expected a 3-D ubyte array N×28×28, found a 3-D ubyte array 3×28×27"),
        Case("images of float32", .images, Hostile.header(type: 0x0D, [3, 28, 28]) + [UInt8](repeating: 0, count: 4 * 2352),
             byte: 0, "not an MNIST images file; expected a 3-D ubyte array N×28×28, found a 3-D float32 array 3×28×28"),
        Case("labels file passed as images", .images, Hostile.labels([1, 2, 3]), byte: 0,
             "not an MNIST images file; expected a 3-D ubyte array N×28×28, found a 1-D ubyte array 3"),
        Case("images file passed as labels", .labels, Hostile.gzipImages3, byte: 0,
             "not an MNIST labels file; expected 1-D ubyte labels N, found a 3-D ubyte array 3×28×28"),
        Case("label outside 0...9", .labels, Hostile.labels([4, 10, 2]), byte: 9,
             "label 1 out of range; expected 0...9, found 10"),
        Case("fewer labels than images", .labels, Hostile.gzip(Hostile.labels([4, 1])), byte: nil,
             "image and label counts differ; expected 3 labels (one per image), found 2 in fewer-labels-than-images",
             blamesImages: true),
        Case("2^31 labels over 64 MiB of zero labels", .labels,
             Hostile.gzip(Hostile.header([1 << 31]) + [UInt8](repeating: 0, count: 64 << 20)), byte: nil,
             "image and label counts differ; expected 3 labels (one per image), found 2147483648", blamesImages: true),
        Case("labels followed by a gzip bomb", .labels, Hostile.gzip(Hostile.labels([4, 1, 2]) + [UInt8](repeating: 0, count: 32 << 20)),
             byte: 11, "byte 11 of the decompressed data: trailing data after the IDX data"),

        // Weights.
        Case("weights file of 3 bytes", .weights, [1, 2, 3], byte: 0,
             "not a safetensors file; expected at least 8 bytes of header length, found 3 bytes"),
        Case("weights header length beyond the file", .weights, Hostile.safetensors("{}", [], length: 1 << 40), byte: 0,
             "safetensors header length 1099511627776 goes beyond the end of the file; expected at most 8"),
        Case("weights header that is not JSON", .weights, Hostile.safetensors("{\"W1\": [", [0, 0, 0, 0]), byte: 8,
             "invalid safetensors JSON header"),
        Case("weights with wrong shapes", .weights, Hostile.weights(w2Rows: 2), byte: 8,
             "tensor 'W2' has shape [2, 10]"),
        Case("weights with overlapping offsets", .weights, Hostile.weights(b1Offsets: (3132, 3136)), byte: weightsData + 3132,
             "tensors 'W1' and 'b1' overlap in the data section"),
        Case("weights with out-of-range offsets", .weights, Hostile.weights(w2End: 1 << 40), byte: 8,
             "tensor 'W2' data_offsets [3140, 1099511627776] are out of range; expected 0 <= begin <= end <= 3220"),
        Case("weights with an unknown dtype", .weights, Hostile.weights(dtype: "F8"), byte: 8,
             "tensor 'W1' has dtype F8; expected F32, F16, BF16 or F64"),
        Case("weights with a NaN", .weights, Hostile.weights(nanAt: 5), byte: weightsData + 20,
             "tensor 'W1' element 5 is NaN or infinite; expected finite values"),
        Case("weights with an infinity", .weights, Hostile.weights(infInBias: true), byte: weightsData + 3180 + 28,
             "tensor 'b2' element 7 is NaN or infinite"),
        Case("IDX file passed as weights", .weights, Hostile.labels([1, 2, 3]), byte: 0,
             "not a safetensors file: it starts with bytes 00 00 08 01 00 00 00 03 (an IDX file)"),
        Case("weights path is a directory", .weights, .directory, exit: 66, byte: nil,
             "is a directory; expected a safetensors weights file"),
    ]

    /// One fixture for the suite: 3 good images and labels, and good weights.
    /// With `MALFORMED_FILES_DIR` set it is kept there, with each case's
    /// command line in `cases/<file>.args` (scripts/check_malformed_limits.sh
    /// replays them under /usr/bin/time).
    static let fixture: Fixture = {
        let fixture = Fixture(keepingIn: ProcessInfo.processInfo.environment["MALFORMED_FILES_DIR"])
        try! fixture.writeSubset(count: 3)
        try! fixture.writeWeights(MalformedFile.goodWeights)
        return fixture
    }()

    @Test(arguments: cases)
    func malformedFileExitsWithTheDocumentedCodeAndMessage(_ hostile: MalformedFile) throws {
        let fixture = Self.fixture
        try hostile.create(in: fixture)
        if ProcessInfo.processInfo.environment["MALFORMED_FILES_DIR"] != nil {
            try FileManager.default.createDirectory(atPath: fixture.file("cases"), withIntermediateDirectories: true)
            let line = (["\(hostile.status)"] + hostile.arguments).joined(separator: "\t") + "\n"
            try fixture.write("cases/\(hostile.fileName).args", Array(line.utf8))
        }
        let out = try CommandRunner.run("mnist-eval", hostile.arguments, in: fixture.path)
        let named = hostile.blamesImages ? MalformedFile.goodImages : hostile.fileName
        #expect(out.status == hostile.status, "\(out.stderr)")
        #expect(out.stdout.isEmpty, "no partial report: \(out.stdout)")
        #expect(out.stderr.hasPrefix("mnist-eval: error: \(named): "), "\(out.stderr)")
        if let offset = hostile.offset {
            #expect(out.stderr.hasPrefix("mnist-eval: error: \(named): byte \(offset)"), "\(out.stderr)")
        }
        #expect(out.stderr.contains(hostile.problem), "\(out.stderr)")
        if hostile.status == 65 { #expect(out.stderr.contains("; expected "), "\(out.stderr)") }
        // One line, no stack trace or crash report.
        #expect(out.stderr.split(separator: "\n").count == 1, "\(out.stderr)")
    }

    /// A pipe has no size to check up front: the data ending early is found
    /// while streaming, as for a file that shrinks while it is read.
    @Test func imagesFromAPipeThatEndsEarly() throws {
        let fixture = Fixture()
        let fifo = fixture.file("pipe-images")
        #expect(mkfifo(fifo, 0o600) == 0)
        let bytes = Array(Hostile.images3.prefix(1000))
        let writer = Thread {
            // Wait (bounded) for mnist-eval to open the pipe for reading.
            var descriptor: Int32 = -1
            for _ in 0..<2000 where descriptor < 0 {
                descriptor = open(fifo, O_WRONLY | O_NONBLOCK)
                if descriptor < 0 { usleep(5000) }
            }
            guard descriptor >= 0 else { return }
            _ = fcntl(descriptor, F_SETFL, 0)
            _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            close(descriptor)
        }
        writer.start()
        try fixture.writeSubset(count: 3)
        try fixture.writeWeights()
        let out = try CommandRunner.run("mnist-eval", ["pipe-images", "--weights", "w.safetensors", "--labels",
                                                       MalformedFile.goodLabels], in: fixture.path)
        #expect(out.status == 65)
        #expect(out.stdout.isEmpty)
        #expect(out.stderr == "mnist-eval: error: pipe-images: byte 1000: truncated IDX data; expected 2352 bytes of data, found 984\n")
    }
}
