import MNISTNetwork

/// Why training cannot start; all message text lives in `description`.
public struct TrainingError: Error, Equatable, CustomStringConvertible {
    public enum Kind: Equatable, Sendable {
        /// The activation has no useful derivative (`step`).
        case notDifferentiable(Activation)
        /// An option value outside its range.
        case badRecipe(option: String, expected: String, found: String)
        /// Images that are not 28×28 or labels outside 0...9.
        case badData(String)
        /// Fewer training images than one batch after holding out validation.
        case tooFewImages(count: Int, validation: Int)
    }

    public var kind: Kind

    public init(_ kind: Kind) { self.kind = kind }

    public var description: String {
        switch kind {
        case .notDifferentiable(let activation):
            return "cannot train with activation '\(activation)': it is not differentiable (its gradient is zero almost everywhere); use relu, sigmoid, tanh or identity"
        case .badRecipe(let option, let expected, let found):
            return "--\(option): expected \(expected), found \(found)"
        case .badData(let problem):
            return "training data: \(problem)"
        case .tooFewImages(let count, let validation):
            return "training data: \(count) images leave nothing to train on after holding out \(validation) for validation"
        }
    }
}
