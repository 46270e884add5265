import MNISTData

/// Whole IDX files read into memory, for classifying or inspecting images
/// yourself. (``Classifier/evaluate(images:labels:)`` streams instead, and
/// needs no memory for the images.)
public enum IDXFile {
    /// Every image of an IDX images file (gzip or raw, detected from its
    /// first bytes), one after another, 784 bytes each: `0` is background,
    /// `255` ink.
    ///
    /// - Throws: ``DataError`` naming the file and the byte that is wrong,
    ///   also for a file that is not N×28×28 bytes.
    public static func images(at path: String) throws -> [UInt8] {
        let reader = try IDXImageReader(path: path)
        var pixels = [UInt8](repeating: 0, count: reader.count * reader.pixelsPerImage)
        let read = try pixels.withUnsafeMutableBufferPointer { try reader.read(maxImages: reader.count, into: $0) }
        precondition(read == reader.count, "IDXImageReader stops early only by throwing")
        return pixels
    }

    /// Every label of an IDX labels file (gzip or raw), one byte each.
    /// - Throws: ``DataError`` naming the file and the byte that is wrong.
    public static func labels(at path: String) throws -> [UInt8] {
        try LabelSet.read(path: path).labels
    }
}
