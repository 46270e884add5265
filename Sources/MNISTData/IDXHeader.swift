/// An IDX header: magic `00 00 TT NN`, then NN big-endian `UInt32` dimensions.
///
/// A dimension of 0 is allowed, in any position: the format permits it, the
/// data is then empty, and an empty test set is a question for the caller
/// (the trailing-data check still applies). Only zero *dimensions* (NN = 0)
/// is rejected, since it declares no array at all.
public struct IDXHeader: Sendable, Equatable {
    public let elementType: IDXElementType
    public let dimensions: [Int]
    /// The product of the dimensions, known not to overflow.
    public let elementCount: Int

    /// `nil` when the data size does not fit in `Int` (`idxSizeOverflow`),
    /// so every header in hand has a size that can be computed safely
    /// (whether the file holds that much is checked while reading).
    init?(elementType: IDXElementType, dimensions: [Int]) {
        var count = 1
        for dimension in dimensions {
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow else { return nil }
            count = product
        }
        guard !count.multipliedReportingOverflow(by: elementType.byteWidth).overflow else { return nil }
        self.elementType = elementType
        self.dimensions = dimensions
        self.elementCount = count
    }

    /// Bytes of element data after the header.
    public var dataByteCount: Int { elementCount * elementType.byteWidth }

    /// Bytes of the header itself: 4 for the magic, 4 per dimension.
    public var headerByteCount: Int { 4 + 4 * dimensions.count }

    /// `3-D ubyte 10000×28×28`, as messages print it.
    var shapeDescription: String { DataError.Kind.shape(elementType, dimensions) }
}
