/// The element-wise functions a hidden layer can apply.
///
/// `step` is the perceptron's threshold (the textbook's first activation); it is
/// kept for the worked examples and is not differentiable, so the trainer refuses it.
public enum Activation: String, Sendable, CaseIterable, CustomStringConvertible {
    case identity
    case step
    case sigmoid
    case relu
    case tanh

    /// Accepts the names other tools write too: sklearn's `logistic` is sigmoid.
    public init?(name: String) {
        switch name.lowercased() {
        case "identity", "linear", "none": self = .identity
        case "step", "heaviside": self = .step
        case "sigmoid", "logistic": self = .sigmoid
        case "relu": self = .relu
        case "tanh": self = .tanh
        default: return nil
        }
    }

    public var description: String { rawValue }

    /// The scalar definition; the reference for every vectorised use.
    @inlinable
    public func callAsFunction(_ x: Float) -> Float {
        switch self {
        case .identity: return x
        case .step: return x > 0 ? 1 : 0
        case .sigmoid: return 1 / (1 + _exp(-x))
        case .relu: return x > 0 ? x : 0
        case .tanh: return _tanh(x)
        }
    }

    /// The derivative expressed through the activation's output `y = f(x)`,
    /// which is what backpropagation has at hand.
    @inlinable
    public func derivative(output y: Float) -> Float {
        switch self {
        case .identity: return 1
        case .step: return 0
        case .sigmoid: return y * (1 - y)
        case .relu: return y > 0 ? 1 : 0
        case .tanh: return 1 - y * y
        }
    }
}

import Glibc

@usableFromInline func _exp(_ x: Float) -> Float { expf(x) }
@usableFromInline func _tanh(_ x: Float) -> Float { tanhf(x) }
