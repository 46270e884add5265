/// The textbook chapter's building blocks, kept as public API so its worked
/// examples run as golden tests against the same code the classifier uses.

/// A two-input perceptron: fires (1) when `w·x + b > 0`. With weights
/// `(0.5, 0.5)` and bias `-0.7` it computes AND.
public struct Perceptron: Sendable {
    public var weights: [Float]
    public var bias: Float

    public init(weights: [Float], bias: Float) {
        self.weights = weights
        self.bias = bias
    }

    public func callAsFunction(_ inputs: [Float]) -> Int {
        precondition(inputs.count == weights.count, "one input per weight")
        var sum = bias
        for (x, w) in zip(inputs, weights) { sum += x * w }
        return Int(Activation.step(sum))
    }
}

/// A row-major matrix, for the chapter's matrix-product examples.
public struct Matrix: Sendable, Equatable {
    public let rows: Int
    public let columns: Int
    public var elements: [Float]

    public init(_ rows: [[Float]]) {
        precondition(!rows.isEmpty && rows.allSatisfy { $0.count == rows[0].count }, "rows must be rectangular")
        self.rows = rows.count
        self.columns = rows[0].count
        self.elements = rows.flatMap { $0 }
    }

    public init(rows: Int, columns: Int, elements: [Float]) {
        precondition(elements.count == rows * columns)
        self.rows = rows
        self.columns = columns
        self.elements = elements
    }

    public subscript(row: Int, column: Int) -> Float { elements[row * columns + column] }

    /// `[m, k] · [k, n] = [m, n]`, through the same kernel the dense layers use.
    public static func * (lhs: Matrix, rhs: Matrix) -> Matrix {
        precondition(lhs.columns == rhs.rows, "inner dimensions must agree: \(lhs.columns) vs \(rhs.rows)")
        var out = [Float](repeating: 0, count: lhs.rows * rhs.columns)
        let zeros = [Float](repeating: 0, count: rhs.columns)
        lhs.elements.withUnsafeBufferPointer { a in
            rhs.elements.withUnsafeBufferPointer { b in
                zeros.withUnsafeBufferPointer { bias in
                    out.withUnsafeMutableBufferPointer { c in
                        Kernels.matmulBias(a.baseAddress!, b.baseAddress!, bias.baseAddress!, c.baseAddress!,
                                           m: lhs.rows, n: rhs.columns, k: lhs.columns)
                    }
                }
            }
        }
        return Matrix(rows: lhs.rows, columns: rhs.columns, elements: out)
    }
}
