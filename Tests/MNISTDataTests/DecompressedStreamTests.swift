import MNISTData
import Testing
import TestSupport

@Suite struct DecompressedStreamTests {
    /// Reads a whole stream in reads of `readSize` bytes.
    static func readAll(_ path: String, chunkSize: Int = 1 << 16, readSize: Int = 4096) throws -> [UInt8] {
        let stream = try DecompressedStream(path: path, chunkSize: chunkSize)
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: readSize)
        while true {
            let count = try buffer.withUnsafeMutableBytes { try stream.read(into: $0) }
            if count == 0 { break }
            result += buffer[..<count]
        }
        #expect(stream.decompressedOffset == UInt64(result.count))
        return result
    }

    static let content = (0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 13 ^ $0 >> 4) }

    @Test func detectsGzipByContentNotName() throws {
        let directory = TemporaryDirectory()
        let gzip = try directory.write("plain.idx", Fixtures.gzip(Self.content))
        let raw = try directory.write("compressed.gz", Self.content)
        #expect(try DecompressedStream(path: gzip).isGzip)
        #expect(try !DecompressedStream(path: raw).isGzip)
        #expect(try Self.readAll(gzip) == Self.content)
        #expect(try Self.readAll(raw) == Self.content)
    }

    @Test func skipsEveryOptionalHeaderField() throws {
        // FTEXT | FHCRC | FEXTRA | FNAME | FCOMMENT, each built by hand.
        var header = Fixtures.gzipHeader(flags: 0x01 | 0x02 | 0x04 | 0x08 | 0x10)
        header += [5, 0] + [0x41, 0x42, 2, 0, 0x99]   // XLEN 5: subfield "AB", 2 bytes
        header += Array("t10k-images-idx3-ubyte".utf8) + [0]
        header += Array("a comment".utf8) + [0]
        let headerCRC = Fixtures.crc32(header) & 0xFFFF
        header += [UInt8(headerCRC & 0xFF), UInt8(headerCRC >> 8)]
        let directory = TemporaryDirectory()
        let path = try directory.write("fields", Fixtures.member(header: header, content: Self.content))
        #expect(try Self.readAll(path) == Self.content)
    }

    @Test func readsConcatenatedMembersAsOneStream() throws {
        let parts = [Array(Self.content[..<1000]), [], Array(Self.content[1000...])]
        let file = parts.flatMap { Fixtures.gzip($0) }
        let directory = TemporaryDirectory()
        let path = try directory.write("members", file)
        #expect(try Self.readAll(path) == Self.content)
    }

    @Test(arguments: [(16, 1), (16, 7), (17, 4096), (1 << 16, 1)])
    func givesTheSameBytesForAnyChunkAndReadSize(chunkSize: Int, readSize: Int) throws {
        let directory = TemporaryDirectory()
        let members = Fixtures.gzip(Array(Self.content[..<333])) + Fixtures.gzip(Array(Self.content[333...]))
        let path = try directory.write("members", members)
        #expect(try Self.readAll(path, chunkSize: chunkSize, readSize: readSize) == Self.content)
        let raw = try directory.write("raw", Self.content)
        #expect(try Self.readAll(raw, chunkSize: chunkSize, readSize: readSize) == Self.content)
    }

    /// The trailer is checked from the last eight bytes zlib consumed; input
    /// chunks of 16 to 31 bytes split it at every point (and refill the buffer
    /// inside it), and each split must still find the same trailer. 64 KiB
    /// chunks hold the whole member. An empty member has its header and
    /// trailer in one zlib call (found by fuzz-gzip: zlib checked that trailer
    /// itself and named another error).
    @Test(arguments: Array(16...31) + [1 << 16], [200, 0])
    func checksTheTrailerWhereverAChunkSplitsIt(chunkSize: Int, contentSize: Int) throws {
        let content = Array(Self.content[..<contentSize])
        let crc = Fixtures.crc32(content)
        let size = UInt32(content.count)
        let header = Fixtures.gzipHeader(flags: 0)
        let directory = TemporaryDirectory()
        let good = try directory.write("good", Fixtures.member(header: header, content: content) + Fixtures.gzip([7, 8, 9]))
        #expect(try Self.readAll(good, chunkSize: chunkSize, readSize: 64) == content + [7, 8, 9])

        // Every byte of each field matters: flip the high byte, the one consumed last.
        // Each bad member follows a good one, as in the fuzzer's finding.
        let cases: [(String, [UInt8], DataError.Kind, Int)] = [
            ("crc", Fixtures.member(header: header, content: content, crc: crc ^ 0x8000_0000),
             .gzipChecksumMismatch(expected: crc ^ 0x8000_0000, found: crc), 8),
            ("size", Fixtures.member(header: header, content: content, size: size | 0x0100_0000),
             .gzipLengthMismatch(expected: size | 0x0100_0000, found: size), 4),
        ]
        for (name, bad, kind, fromEnd) in cases {
            let member = Fixtures.gzip([1, 2]) + bad
            let path = try directory.write(name, member)
            do {
                _ = try Self.readAll(path, chunkSize: chunkSize, readSize: 64)
                Issue.record("\(name): expected \(kind)")
            } catch let error as DataError {
                #expect(error.kind == kind)
                #expect(error.offset == UInt64(member.count - fromEnd), "the field's first byte")
            }
        }
    }

    @Test func reportsTruncationAtTheCompressedOffset() throws {
        let member = Fixtures.gzip(Self.content)
        let directory = TemporaryDirectory()
        let path = try directory.write("cut", Array(member.dropLast(3)))
        do {
            _ = try Self.readAll(path)
            Issue.record("expected gzipTruncated")
        } catch let error as DataError {
            #expect(error.kind == .gzipTruncated)
            #expect(error.offset == UInt64(member.count - 3))
            #expect(!error.inDecompressedData)
        }
    }
}
