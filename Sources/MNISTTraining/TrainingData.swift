import CZlib

/// Labelled 28×28 images split into a training part and a held-out validation
/// part: the validation images are the LAST `validationSize` of the file, so the
/// split needs no randomness and is the same for every seed.
public struct TrainingData: Sendable {
    public static let imageSize = 28 * 28
    public static let classes = 10

    /// `[count, 784]` pixels, 0...255.
    public let pixels: [UInt8]
    /// `[count]`, 0...9.
    public let labels: [UInt8]
    public let validationSize: Int

    public var count: Int { labels.count }
    public var trainingCount: Int { count - validationSize }
    /// Indices of the validation images, at the end of the file.
    public var validationRange: Range<Int> { trainingCount..<count }

    public init(pixels: [UInt8], labels: [UInt8], validationSize: Int) throws(TrainingError) {
        guard pixels.count == labels.count * Self.imageSize else {
            throw TrainingError(.badData("\(pixels.count) pixel bytes for \(labels.count) labels; expected 28×28 = 784 per image"))
        }
        if let bad = labels.firstIndex(where: { $0 >= Self.classes }) {
            throw TrainingError(.badData("label \(labels[bad]) of image \(bad) is not a digit 0...9"))
        }
        guard validationSize >= 0, labels.count - validationSize > 0 else {
            throw TrainingError(.tooFewImages(count: labels.count, validation: validationSize))
        }
        self.pixels = pixels
        self.labels = labels
        self.validationSize = validationSize
    }

    /// CRC-32 (zlib's) of the pixel bytes followed by the label bytes, as read
    /// (decompressed, headers excluded): identifies the training data in the
    /// weights' metadata independently of the file's compression.
    public var crc32: UInt32 { Self.crc32(of: [pixels, labels]) }

    /// `8`-digit lowercase hex of `crc32`.
    public var crc32Hex: String { Self.hex(crc32) }

    /// zlib's CRC-32 of `parts`, one after another (in chunks zlib's `uInt` length can hold).
    static func crc32(of parts: [[UInt8]]) -> UInt32 {
        var crc = CZlib.crc32(0, nil, 0)
        for bytes in parts {
            bytes.withUnsafeBufferPointer { buffer in
                var offset = 0
                while offset < buffer.count {
                    let chunk = min(buffer.count - offset, Int(Int32.max))
                    crc = CZlib.crc32(crc, buffer.baseAddress! + offset, uInt(chunk))
                    offset += chunk
                }
            }
        }
        return UInt32(crc)
    }

    /// `crc` as 8 lowercase hex digits.
    static func hex(_ crc: UInt32) -> String {
        let hex = String(crc, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }
}

import MNISTData

extension TrainingData {
    /// Reads the gzip IDX pair with MNISTData and holds out the last `validationSize`.
    public static func read(images: String, labels: String, validationSize: Int) throws -> TrainingData {
        let set = try LabeledImages.read(images: images, labels: labels)
        guard set.rows == 28, set.columns == 28 else {
            throw TrainingError(.badData("\(images): images are \(set.rows)×\(set.columns); expected 28×28"))
        }
        return try TrainingData(pixels: set.pixels, labels: set.labels, validationSize: validationSize)
    }
}
