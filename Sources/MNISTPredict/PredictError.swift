/// A picture that was read but cannot be classified as asked.
public struct PredictError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Equatable, Sendable {
        /// `--no-preprocess` needs the image to be the network's input already.
        case notMNISTSize(width: Int, height: Int)
        /// The picture was read but holds no digit (blank, faint or tiny marks).
        case noDigit(NoDigitReason)
    }

    public let kind: Kind
    public let path: String

    public init(_ kind: Kind, path: String) {
        self.kind = kind
        self.path = path
    }

    public var description: String {
        switch kind {
        case .notMNISTSize(let width, let height):
            return "\(path): --no-preprocess needs a 28×28 image; found \(width)×\(height)"
        case .noDigit(let reason):
            return "\(path): no digit found (\(reason))"
        }
    }
}
