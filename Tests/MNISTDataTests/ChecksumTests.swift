import CChecksum
import CZlib
import Testing

/// The gzip trailer's CRC-32: the carry-less multiply path against zlib's own
/// `crc32`, for every length and alignment around the 16- and 64-byte folds.
@Suite struct ChecksumTests {
    static let bytes: [UInt8] = {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        return (0..<70_000).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
    }()

    static func zlibCRC(_ seed: UInt32, _ pointer: UnsafeRawPointer, _ count: Int) -> UInt32 {
        UInt32(crc32_z(UInt(seed), pointer.assumingMemoryBound(to: Bytef.self), count))
    }

    @Test func matchesZlibForEveryShortLengthAndAlignment() {
        Self.bytes.withUnsafeBytes { raw in
            for length in 0..<300 {
                for offset in 0..<8 {
                    let seed = UInt32(truncatingIfNeeded: length &* 2_654_435_761)
                    let start = raw.baseAddress! + offset
                    #expect(cchecksum_crc32(seed, start, length) == Self.zlibCRC(seed, start, length),
                            "length \(length), offset \(offset)")
                }
            }
        }
    }

    @Test func matchesZlibOnLongBuffersAndInPieces() {
        Self.bytes.withUnsafeBytes { raw in
            let whole = Self.zlibCRC(0, raw.baseAddress!, raw.count)
            #expect(cchecksum_crc32(0, raw.baseAddress!, raw.count) == whole)
            // Continuing from a partial CRC, as the inflater does chunk by chunk.
            var crc: UInt32 = 0
            var position = 0
            for piece in [1, 63, 64, 65, 4096, 17, 30_000] where position < raw.count {
                let count = min(piece, raw.count - position)
                crc = cchecksum_crc32(crc, raw.baseAddress! + position, count)
                position += count
            }
            crc = cchecksum_crc32(crc, raw.baseAddress! + position, raw.count - position)
            #expect(crc == whole)
        }
    }

    @Test func knownValue() {
        // The CRC-32 check value of "123456789" (the catalogue's "check").
        let digits = Array("123456789".utf8)
        #expect(digits.withUnsafeBytes { cchecksum_crc32(0, $0.baseAddress!, $0.count) } == 0xCBF4_3926)
        // 64 bytes and more take the folding path.
        let long = [UInt8](repeating: 0x61, count: 1000)
        #expect(long.withUnsafeBytes { cchecksum_crc32(0, $0.baseAddress!, $0.count) }
                == long.withUnsafeBytes { Self.zlibCRC(0, $0.baseAddress!, $0.count) })
    }

    #if arch(x86_64)
    @Test func everyX86CPUThisRunsOnHasTheFastPath() {
        // PCLMULQDQ and SSE4.1 date from 2010; a CI machine without them would
        // silently measure the slow path.
        #expect(cchecksum_crc32_is_accelerated() == 1)
    }
    #endif
}
