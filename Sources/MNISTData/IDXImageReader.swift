/// Reads MNIST images a batch at a time, for classifying a file of any
/// size in constant memory (a 1,000,000-image gzip file included).
///
/// Not `Sendable`: used by one thread at a time.
public final class IDXImageReader {
    public let path: String
    /// The number of images the header declares.
    public let count: Int
    public let rows: Int
    public let columns: Int
    public var pixelsPerImage: Int { rows * columns }
    /// The file is gzip: reading it means inflating, the slow part of a run.
    public var isGzip: Bool { source.stream.isGzip }

    private let source: IDXSource
    private var imagesRead = 0
    private var endVerified = false

    /// Opens an images file (gzip or raw) and validates its header.
    /// - Throws: `DataError`: `notImages` (naming the shape found, e.g. a
    ///   labels file), or any reading or header error.
    public init(path: String) throws {
        source = try IDXSource.openImages(path: path)
        self.path = path
        count = source.header.dimensions[0]
        rows = source.header.dimensions[1]
        columns = source.header.dimensions[2]
    }

    /// Reads up to `maxImages` whole images into `buffer` (`[n, rows * columns]`)
    /// and returns how many; 0 once all images are read.
    ///
    /// The call that returns the last images also verifies the end of the
    /// file: no trailing bytes, and a gzip trailer that matches.
    /// - Precondition: `maxImages > 0` and `buffer.count >= maxImages * pixelsPerImage`.
    /// - Throws: `DataError`: `idxTruncated` when images are missing,
    ///   `idxTrailingData`, or any gzip error.
    public func read(maxImages: Int, into buffer: UnsafeMutableBufferPointer<UInt8>) throws -> Int {
        precondition(maxImages > 0, "maxImages must be positive: 0 is the end-of-images answer")
        precondition(buffer.count >= maxImages * pixelsPerImage, "buffer too small for maxImages images")
        let batch = min(maxImages, count - imagesRead)
        if batch > 0 {
            let bytes = UnsafeMutableRawBufferPointer(buffer).prefix(batch * pixelsPerImage)
            try source.readData(into: UnsafeMutableRawBufferPointer(rebasing: bytes))
            imagesRead += batch
        }
        // Also runs for a file of 0 images, on the first call.
        if imagesRead == count && !endVerified {
            try source.verifyEnd()
            endVerified = true
        }
        return batch
    }
}
