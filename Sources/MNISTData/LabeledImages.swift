/// A whole labelled MNIST set in memory, for training: the 60,000 training
/// images take 47 MB, which is simpler than streaming.
public struct LabeledImages: Sendable {
    public let count: Int
    public let rows: Int
    public let columns: Int
    /// Pixels, `[count, rows * columns]`, row-major, 0...255.
    public let pixels: [UInt8]
    /// Labels, `[count]`, each 0...9.
    public let labels: [UInt8]

    public var pixelsPerImage: Int { rows * columns }

    /// Reads an images file and its labels file (each gzip or raw).
    ///
    /// Both headers are read and their counts compared before any pixel is
    /// read, so a mismatched pair fails at once.
    /// - Throws: `DataError`: `countMismatch` (on the images path),
    ///   `notImages`, `notLabels`, `labelOutOfRange`, or any reading error.
    public static func read(images imagesPath: String, labels labelsPath: String) throws -> LabeledImages {
        let images = try IDXSource.openImages(path: imagesPath)
        let labels = try IDXSource.openLabels(path: labelsPath)
        let imageCount = images.header.dimensions[0]
        let labelCount = labels.header.dimensions[0]
        guard imageCount == labelCount else {
            throw DataError(.countMismatch(images: imageCount, labels: labelCount, labelsPath: labelsPath),
                            path: imagesPath)
        }
        let labelValues = try labels.readLabels()
        let pixels = try images.readAllData()
        return LabeledImages(count: imageCount, rows: IDXSource.imageRows, columns: IDXSource.imageColumns,
                             pixels: pixels, labels: labelValues)
    }
}
