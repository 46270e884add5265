import CZlib
import Foundation
import MNISTData
import TestSupport

/// Tiny fixtures, made by the tests themselves: IDX bytes written by hand
/// (big-endian), gzip framing built byte by byte, files in a unique temporary
/// directory that is removed afterwards.
enum Fixtures {
    /// `00 00 TT NN` then the dimensions, big-endian.
    static func idxHeader(type: UInt8, dimensions: [UInt32]) -> [UInt8] {
        [0, 0, type, UInt8(dimensions.count)] + dimensions.flatMap(bigEndian)
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 8),
         UInt8(truncatingIfNeeded: value)]
    }

    static func littleEndian(_ value: UInt32) -> [UInt8] {
        bigEndian(value).reversed()
    }

    /// An images file of `count` 28×28 images whose pixels are `(i * 7 + p) % 256`.
    static func images(count: Int) -> [UInt8] {
        idxHeader(type: 0x08, dimensions: [UInt32(count), 28, 28]) + imagePixels(count: count)
    }

    static func imagePixels(count: Int) -> [UInt8] {
        (0..<count * 784).map { UInt8(truncatingIfNeeded: ($0 / 784) * 7 + $0 % 784) }
    }

    static func labels(_ values: [UInt8]) -> [UInt8] {
        idxHeader(type: 0x08, dimensions: [UInt32(values.count)]) + values
    }

    static func gzip(_ bytes: [UInt8]) -> [UInt8] {
        // Compressing a few bytes in memory fails only when out of memory.
        (try? Gzip.compress(bytes)) ?? []
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        UInt32(bytes.withUnsafeBufferPointer { CZlib.crc32(0, $0.baseAddress, uInt($0.count)) })
    }

    /// The raw deflate body of `bytes` (zlib windowBits -15), for building
    /// gzip members with hand-made headers.
    static func rawDeflate(_ bytes: [UInt8]) -> [UInt8] {
        let member = gzip(bytes)
        // Gzip.compress writes the minimal 10-byte header and an 8-byte trailer.
        return Array(member[10..<(member.count - 8)])
    }

    /// A gzip member: `header`, the deflate body of `content`, and a trailer
    /// with CRC-32 and ISIZE (either replaceable to make a bad one).
    static func member(header: [UInt8], content: [UInt8], crc: UInt32? = nil, size: UInt32? = nil) -> [UInt8] {
        header + rawDeflate(content) + littleEndian(crc ?? crc32(content))
            + littleEndian(size ?? UInt32(truncatingIfNeeded: content.count))
    }

    /// The fixed part of a gzip header: magic, deflate, `flags`, mtime 0, XFL 0, OS 3.
    static func gzipHeader(flags: UInt8) -> [UInt8] {
        [0x1f, 0x8b, 8, flags, 0, 0, 0, 0, 0, 3]
    }
}

/// The shipped MNIST files: `<root>/Data`.
enum ShippedData {
    static let directory = Repository.root + "/Data"

    static func path(_ name: String) -> String? {
        let file = directory + "/" + name
        return FileManager.default.fileExists(atPath: file) ? file : nil
    }
}

extension DataError {
    /// The kind of the error `body` throws, or `nil` if it throws none or another type.
    static func kind(of body: () throws -> Void) -> Kind? {
        do {
            try body()
            return nil
        } catch let error as DataError {
            return error.kind
        } catch {
            return nil
        }
    }
}
