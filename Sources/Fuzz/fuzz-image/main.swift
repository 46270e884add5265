import FuzzSupport
import MNISTPictures
import MNISTPredict

/// mnist-predict's image reader as the CLI calls it: `DigitInput.load` on a
/// file (PNG through libpng, JPEG through libjpeg with its EXIF orientation,
/// PGM/PPM through `PNMReader`, chosen by content), with MNIST preprocessing
/// and without. A picture either becomes 784 input pixels or fails with an
/// `ImageError` naming the file (and, when it gives one, a byte offset inside
/// the file), or a `PredictError`: no digit in it, or, without preprocessing,
/// a size other than 28×28.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzImage(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    Fuzz.withFiles([Fuzz.bytes(data, size)]) { paths in
        var decoded: Bool?
        for preprocess in [true, false] {
            do {
                let input = try DigitInput.load(path: paths[0], preprocess: preprocess)
                Fuzz.require(input.count == DigitPreprocessor.fieldSize * DigitPreprocessor.fieldSize,
                             "an input of \(input.count) pixels")
                record(&decoded, true)
            } catch let error as ImageError {
                Fuzz.require(error.path == paths[0] && error.description.hasPrefix(paths[0] + ": "),
                             "message does not start with the path: \(error)")
                Fuzz.require(!error.isUnreadableFile, "a file just written reads as unreadable: \(error)")
                Fuzz.require(error.offset.map { $0 >= 0 && $0 <= size } ?? true, "offset beyond the end of the file: \(error)")
                record(&decoded, false)
            } catch let error as PredictError {
                if case .notMNISTSize = error.kind {
                    Fuzz.require(!preprocess, "a size error although preprocessing takes any size: \(error)")
                }
                Fuzz.require(error.description.hasPrefix(paths[0] + ": "), "message does not start with the path: \(error)")
                record(&decoded, true)
            }
        }
    }
    return 0
}

/// Both reads of one file must agree on whether it decodes.
private func record(_ decoded: inout Bool?, _ outcome: Bool) {
    if let decoded { Fuzz.require(decoded == outcome, "the file decodes only with preprocessing on or off") }
    decoded = outcome
}

Fuzz.main("fuzz-image", fuzzImage)
