import MNISTPictures

/// Reading one of the user's pictures into the network's input.
public enum DigitInput {
    /// The 28×28 input (255 = ink) for the picture at `path`.
    ///
    /// With `preprocess`, any size and polarity goes through
    /// `DigitPreprocessor`. Without it the picture must already be 28×28 in
    /// MNIST's form (white ink on black) and is used as is.
    /// - Throws: `ImageError` for unreadable or malformed files,
    ///   `PredictError` for a picture with no digit in it (`noDigit`), or a
    ///   wrong size without preprocessing.
    public static func load(path: String, preprocess: Bool) throws -> [UInt8] {
        let image = try ImageFile.read(path: path)
        guard !preprocess else {
            do {
                return try DigitPreprocessor.mnistInput(from: image)
            } catch {
                throw PredictError(.noDigit(error), path: path)
            }
        }
        guard image.width == DigitPreprocessor.fieldSize, image.height == DigitPreprocessor.fieldSize else {
            throw PredictError(.notMNISTSize(width: image.width, height: image.height), path: path)
        }
        // Already MNIST's form: a field whose levels barely vary holds no digit.
        let levels = Int(image.pixels.max()!) - Int(image.pixels.min()!)
        guard levels >= DigitPreprocessor.minimumContrast else {
            throw PredictError(.noDigit(.blank(levels: levels)), path: path)
        }
        return image.pixels
    }
}
