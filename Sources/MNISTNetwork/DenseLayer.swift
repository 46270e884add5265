/// One fully connected layer, `y = x·W + b`.
///
/// `weights` is row-major `[inputs, outputs]` (the project's and the textbook's
/// layout: row `i` holds the weights leaving input `i`), `bias` is `[outputs]`.
public struct DenseLayer: Sendable, Equatable {
    public let inputs: Int
    public let outputs: Int
    /// `[inputs, outputs]`, row-major.
    public var weights: [Float]
    /// `[outputs]`.
    public var bias: [Float]

    public init(inputs: Int, outputs: Int, weights: [Float], bias: [Float]) {
        precondition(inputs > 0 && outputs > 0, "a layer needs at least one input and one output")
        precondition(weights.count == inputs * outputs, "weights must be [inputs, outputs]")
        precondition(bias.count == outputs, "bias must be [outputs]")
        self.inputs = inputs
        self.outputs = outputs
        self.weights = weights
        self.bias = bias
    }

    /// Builds a layer from nested rows, as the textbook writes matrices:
    /// `weights[i][j]` is the weight from input `i` to output `j`.
    public init(weights rows: [[Float]], bias: [Float]) {
        precondition(!rows.isEmpty && rows.allSatisfy { $0.count == rows[0].count }, "rows must be rectangular")
        self.init(inputs: rows.count, outputs: rows[0].count, weights: rows.flatMap { $0 }, bias: bias)
    }
}
