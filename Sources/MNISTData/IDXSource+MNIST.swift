/// The MNIST meaning of IDX files: images are N×28×28 ubyte, labels are
/// N ubyte in 0...9. Checked on the header alone, before any data is read,
/// so that swapping the two files fails at once with what was found.
extension IDXSource {
    /// MNIST images are 28×28; the network's input is 784 pixels.
    static let imageRows = 28
    static let imageColumns = 28

    /// Opens an images file.
    /// - Throws: `notImages` naming the shape found, or any reading error.
    static func openImages(path: String) throws -> IDXSource {
        let source = try IDXSource(path: path)
        let header = source.header
        guard header.elementType == .uint8, header.dimensions.count == 3,
              header.dimensions[1] == imageRows, header.dimensions[2] == imageColumns
        else {
            throw source.error(.notImages(elementType: header.elementType, dimensions: header.dimensions), at: 0)
        }
        return source
    }

    /// Opens a labels file.
    /// - Throws: `notLabels` naming the shape found, or any reading error.
    static func openLabels(path: String) throws -> IDXSource {
        let source = try IDXSource(path: path)
        let header = source.header
        guard header.elementType == .uint8, header.dimensions.count == 1 else {
            throw source.error(.notLabels(elementType: header.elementType, dimensions: header.dimensions), at: 0)
        }
        return source
    }

    /// Opens the labels of the `count` images in `imagesPath`, comparing the
    /// count on the header, before any label is read: a small gzip file
    /// declaring 2^31 labels must not inflate (and hold) a gigabyte first.
    /// - Throws: `countMismatch` (on the images path), or any `openLabels` error.
    static func openLabels(path: String, count: Int, imagesPath: String) throws -> IDXSource {
        let source = try openLabels(path: path)
        let declared = source.header.dimensions[0]
        guard declared == count else {
            throw DataError(.countMismatch(images: count, labels: declared, labelsPath: path), path: imagesPath)
        }
        return source
    }

    /// Reads all labels and checks each is a digit.
    /// - Throws: `labelOutOfRange` with the first bad label's index and value.
    func readLabels() throws -> [UInt8] {
        let labels = try readAllData()
        if let index = labels.firstIndex(where: { $0 > 9 }) {
            throw error(.labelOutOfRange(index: index, value: labels[index]),
                        at: UInt64(header.headerByteCount + index))
        }
        return labels
    }
}
