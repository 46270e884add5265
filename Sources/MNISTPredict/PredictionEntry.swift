import MNISTNetwork
import MNISTPictures
import MNISTPlumbing

/// One of `mnist-predict`'s inputs, in command-line order: its prediction, or
/// why it has none. Every input gets exactly one entry, so a report can list
/// each file once.
public struct PredictionEntry: Sendable {
    public enum Outcome: Sendable {
        case classified(DigitPrediction)
        /// The picture was read and holds no digit (`PredictError.Kind.noDigit`).
        case noDigit(PredictError)
        /// The file cannot be read, is not a picture, or not one that can be
        /// classified as asked; `message` is the error's one line.
        case failed(message: String, status: ExitStatus)
    }

    public var file: String
    public var outcome: Outcome

    public init(file: String, outcome: Outcome) {
        self.file = file
        self.outcome = outcome
    }

    /// 0 for a classified picture, 65 for one with no digit, and the error's
    /// status (65 malformed, 66 cannot open) for a failure.
    public var status: ExitStatus {
        switch outcome {
        case .classified: .success
        case .noDigit: .dataError
        case .failed(_, let status): status
        }
    }

    /// Reads and prepares each picture (`DigitInput.load`) and classifies
    /// those that hold a digit, in one batch.
    public static func predict(_ paths: [String], preprocess: Bool, network: Network) -> [PredictionEntry] {
        var entries: [PredictionEntry] = []
        var inputs: [(file: String, pixels: [UInt8])] = []
        var slots: [Int] = []
        for path in paths {
            do {
                let pixels = try DigitInput.load(path: path, preprocess: preprocess)
                slots.append(entries.count)
                inputs.append((path, pixels))
                entries.append(PredictionEntry(file: path, outcome: .failed(message: "", status: .success)))  // filled below
            } catch let error as PredictError {
                if case .noDigit = error.kind {
                    entries.append(PredictionEntry(file: path, outcome: .noDigit(error)))
                } else {
                    entries.append(PredictionEntry(file: path, outcome: .failed(message: "\(error)", status: .dataError)))
                }
            } catch {
                entries.append(PredictionEntry(file: path, outcome: .failed(message: "\(error)", status: ExitStatus(for: error))))
            }
        }
        for (slot, prediction) in zip(slots, DigitPrediction.classify(inputs, network: network)) {
            entries[slot].outcome = .classified(prediction)
        }
        return entries
    }
}
