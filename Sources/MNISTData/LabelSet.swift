/// The labels of an MNIST set: one digit 0...9 per image.
public struct LabelSet: Sendable {
    public let path: String
    public let labels: [UInt8]

    /// Reads a labels file (gzip or raw): a 1-D ubyte IDX array.
    /// - Throws: `DataError`: `notLabels` (with the shape found, e.g. an
    ///   images file), `labelOutOfRange`, or any reading error.
    public static func read(path: String) throws -> LabelSet {
        let source = try IDXSource.openLabels(path: path)
        return LabelSet(path: path, labels: try source.readLabels())
    }

    /// Reads the labels of the `count` images in `imagesPath`. The count is
    /// compared on the header, before any label is read: a small gzip file
    /// declaring 2^31 labels must not inflate (and hold) a gigabyte first.
    /// - Throws: `DataError`: `countMismatch` (on the images path), or any
    ///   error of `read(path:)`.
    public static func read(path: String, count: Int, imagesPath: String) throws -> LabelSet {
        let source = try IDXSource.openLabels(path: path, count: count, imagesPath: imagesPath)
        return LabelSet(path: path, labels: try source.readLabels())
    }
}
