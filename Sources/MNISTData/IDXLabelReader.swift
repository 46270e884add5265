/// Reads labels a batch at a time, in step with `IDXImageReader`, so that an
/// evaluation keeps no per-image state and its memory does not grow with the
/// number of images.
///
/// Not `Sendable`: used by one thread at a time.
public final class IDXLabelReader {
    public let path: String
    /// The number of labels the header declares (equal to the images' count).
    public let count: Int

    private let source: IDXSource
    private var labelsRead = 0
    private var endVerified = false

    /// Opens the labels of the `count` images in `imagesPath`. The count is
    /// compared on the header, before any label is read.
    /// - Throws: `DataError`: `notLabels`, `countMismatch` (on the images
    ///   path), or any reading or header error.
    public init(path: String, count: Int, imagesPath: String) throws {
        source = try IDXSource.openLabels(path: path, count: count, imagesPath: imagesPath)
        self.path = path
        self.count = count
    }

    /// Fills `buffer` with the next `buffer.count` labels, each checked to be
    /// a digit. The call that reads the last labels also verifies the end of
    /// the file (no trailing bytes, a matching gzip trailer).
    /// - Precondition: no more than the labels left.
    /// - Throws: `DataError`: `labelOutOfRange`, `idxTruncated`, `idxTrailingData`, gzip errors.
    public func read(into buffer: UnsafeMutableBufferPointer<UInt8>) throws {
        precondition(labelsRead + buffer.count <= count, "read past the declared labels")
        if !buffer.isEmpty {
            try source.readData(into: UnsafeMutableRawBufferPointer(buffer))
            if let bad = buffer.firstIndex(where: { $0 > 9 }) {
                throw source.error(.labelOutOfRange(index: labelsRead + bad, value: buffer[bad]),
                                   at: UInt64(source.header.headerByteCount + labelsRead + bad))
            }
            labelsRead += buffer.count
        }
        if labelsRead == count && !endVerified {
            try source.verifyEnd()
            endVerified = true
        }
    }
}
