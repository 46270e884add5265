import Testing
import MNISTNetwork

/// The textbook chapter's worked examples, reproduced through the public API.
@Suite struct TextbookTests {
    @Test func stepSigmoidAndReLUValues() {
        #expect([-1.0, 0.0, 1.0, 2.0].map { Activation.step($0) } == [0, 0, 1, 1])
        #expect([-1.0, 0.0, 2.0].map { Activation.relu($0) } == [0, 0, 2])
        let sigmoid = [-1.0, 1.0, 2.0].map { Activation.sigmoid($0) }
        let expected: [Float] = [0.26894142, 0.73105858, 0.88079708]
        for (value, want) in zip(sigmoid, expected) { #expect(abs(value - want) < 1e-6) }
        #expect(Activation.sigmoid(0) == 0.5)
    }

    @Test func perceptronComputesAND() {
        let and = Perceptron(weights: [0.5, 0.5], bias: -0.7)
        #expect(and([0, 0]) == 0)
        #expect(and([1, 0]) == 0)
        #expect(and([0, 1]) == 0)
        #expect(and([1, 1]) == 1)
    }

    @Test func matrixProducts() {
        let product = Matrix([[1, 2], [3, 4]]) * Matrix([[5, 6], [7, 8]])
        #expect(product == Matrix([[19, 22], [43, 50]]))
        let vector = Matrix([[1, 2]]) * Matrix([[1, 3, 5], [2, 4, 6]])
        #expect(vector == Matrix([[5, 11, 17]]))
    }

    @Test func threeLayerNetworkForwardPass() {
        let network = Network(
            layers: [
                DenseLayer(weights: [[0.1, 0.3, 0.5], [0.2, 0.4, 0.6]], bias: [0.1, 0.2, 0.3]),
                DenseLayer(weights: [[0.1, 0.4], [0.2, 0.5], [0.3, 0.6]], bias: [0.1, 0.2]),
                DenseLayer(weights: [[0.1, 0.3], [0.2, 0.4]], bias: [0.1, 0.2]),
            ],
            hiddenActivation: .sigmoid)
        let y = network.forward([1.0, 0.5])
        #expect(y.count == 2)
        #expect(abs(y[0] - 0.31682708) < 1e-6, "y[0] = \(y[0])")
        #expect(abs(y[1] - 0.69627909) < 1e-6, "y[1] = \(y[1])")
        // The batched layer kernel gives the same answer as the per-vector pass.
        var hidden = [Float](repeating: 0, count: 3)
        network.layers[0].forward([1.0, 0.5], rows: 1, into: &hidden, activation: .sigmoid)
        #expect(abs(hidden[0] - 0.57444252) < 1e-6)
    }

    @Test func softmaxMatchesTheBookAndSumsToOne() {
        let p = Softmax.probabilities([0.3, 2.9, 4.0])
        let expected: [Float] = [0.01821127, 0.24519181, 0.73659691]
        for (value, want) in zip(p, expected) { #expect(abs(value - want) < 1e-6) }
        #expect(abs(p.reduce(0, +) - 1) < 1e-6)
    }

    @Test func softmaxOfLargeLogitsIsFinite() {
        let p = Softmax.probabilities([1010, 1000, 990])
        #expect(p.allSatisfy { $0.isFinite })
        #expect(abs(p.reduce(0, +) - 1) < 1e-6)
        #expect(abs(p[0] - 0.99995458) < 1e-6)
    }
}
