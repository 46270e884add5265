import Testing
@testable import MNISTNetwork
@testable import MNISTTraining

/// Each fast backward kernel against its scalar reference. Tolerance: 1e-5
/// relative to the largest magnitude involved, room for Float FMA vs Double sums.
@Suite struct BackwardKernelTests {
    static func values(_ count: Int, seed: UInt64, zeros: Bool = false) -> [Float] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in
            let value = generator.symmetric(1)
            return zeros && value < 0.3 ? 0 : value   // about 65% exact zeros, like MNIST's background
        }
    }

    static func largestDifference(_ a: [Float], _ b: [Float]) -> Float {
        zip(a, b).map { abs($0 - $1) }.max() ?? 0
    }

    @Test(arguments: [(5, 3), (7, 10), (16, 100)])
    func softmaxCrossEntropyMatchesReference(rows: Int, classes: Int) {
        let logits = Self.values(rows * classes, seed: 1).map { $0 * 20 }
        let labels = (0..<rows).map { UInt8($0 % classes) }
        var grad = [Float](repeating: 0, count: logits.count)
        let loss = BackwardKernels.softmaxCrossEntropy(logits: logits, labels: labels, rows: rows, classes: classes,
                                                       scale: 0.25, into: &grad)
        let reference = BackwardKernels.Reference.softmaxCrossEntropy(logits: logits, labels: labels, classes: classes, scale: 0.25)
        let difference = Self.largestDifference(grad, reference.grad)
        print("softmaxCrossEntropy \(rows)×\(classes): largest gradient difference \(difference), loss difference \(abs(loss - reference.loss))")
        #expect(difference < 1e-6)
        #expect(abs(loss - reference.loss) < 1e-4 * max(1, reference.loss))
    }

    @Test(arguments: [(3, 6, 5), (16, 784, 100), (9, 100, 10), (4, 13, 21), (21, 30, 7), (64, 784, 100)])
    func weightGradientMatchesReference(rows: Int, inputs: Int, outputs: Int) {
        let x = Self.values(rows * inputs, seed: 2, zeros: true)
        let dy = Self.values(rows * outputs, seed: 3)
        let start = Self.values(inputs * outputs, seed: 4)
        var dW = start
        x.withUnsafeBufferPointer { xp in
            dy.withUnsafeBufferPointer { dyp in
                BackwardKernels.accumulateWeightGradient(x: xp.baseAddress!, dy: dyp.baseAddress!, rows: rows,
                                                         inputs: inputs, outputs: outputs, into: &dW)
            }
        }
        let reference = BackwardKernels.Reference.weightGradient(x: x, dy: dy, rows: rows, inputs: inputs, outputs: outputs, adding: start)
        let difference = Self.largestDifference(dW, reference)
        print("accumulateWeightGradient \(rows)×\(inputs)×\(outputs): largest difference \(difference)")
        #expect(difference < 1e-5 * Float(rows))
        // Bit for bit against adding row by row: training's reproducibility rests on it.
        let rowByRow = BackwardKernels.Reference.weightGradientRowByRow(x: x, dy: dy, rows: rows, inputs: inputs,
                                                                        outputs: outputs, adding: start)
        #expect(dW.map(\.bitPattern) == rowByRow.map(\.bitPattern))
        // With `touched`, rows not yet marked count as zero whatever they hold.
        var stale = [Float](repeating: .nan, count: inputs * outputs)
        var touched = [Bool](repeating: false, count: inputs)
        x.withUnsafeBufferPointer { xp in
            dy.withUnsafeBufferPointer { dyp in
                BackwardKernels.accumulateWeightGradient(x: xp.baseAddress!, dy: dyp.baseAddress!, rows: rows, inputs: inputs,
                                                         outputs: outputs, into: &stale, touched: &touched)
            }
        }
        let fromZero = BackwardKernels.Reference.weightGradientRowByRow(
            x: x, dy: dy, rows: rows, inputs: inputs, outputs: outputs, adding: [Float](repeating: 0, count: inputs * outputs))
        for i in 0..<inputs {
            let row = (i * outputs)..<((i + 1) * outputs)
            #expect(touched[i] == (0..<rows).contains { x[$0 * inputs + i] != 0 })
            if touched[i] { #expect(stale[row].map(\.bitPattern) == fromZero[row].map(\.bitPattern)) }
        }
    }

    @Test(arguments: [(3, 5), (16, 100), (7, 10)])
    func biasGradientMatchesReference(rows: Int, outputs: Int) {
        let dy = Self.values(rows * outputs, seed: 5)
        let start = Self.values(outputs, seed: 6)
        var db = start
        BackwardKernels.accumulateBiasGradient(dy: dy, rows: rows, outputs: outputs, into: &db)
        let reference = BackwardKernels.Reference.biasGradient(dy: dy, rows: rows, outputs: outputs, adding: start)
        let difference = Self.largestDifference(db, reference)
        print("accumulateBiasGradient \(rows)×\(outputs): largest difference \(difference)")
        #expect(difference < 1e-5 * Float(rows))
    }

    @Test(arguments: [Activation.identity, .sigmoid, .relu, .tanh])
    func inputGradientMatchesReference(activation: Activation) {
        let (rows, inputs, outputs) = (6, 100, 10)
        let dy = Self.values(rows * outputs, seed: 7)
        let weights = Self.values(inputs * outputs, seed: 8)
        // Activation outputs in the activation's range: relu ≥ 0, sigmoid in (0, 1).
        let a = Self.values(rows * inputs, seed: 9).map { activation == .identity || activation == .tanh ? $0 : abs($0) }
        var dx = [Float](repeating: .nan, count: rows * inputs)
        BackwardKernels.propagateToInputs(dy: dy, weights: weights, activationOutput: a, rows: rows, inputs: inputs,
                                          outputs: outputs, activation: activation, into: &dx)
        let reference = BackwardKernels.Reference.inputGradient(dy: dy, weights: weights, activationOutput: a, rows: rows,
                                                                inputs: inputs, outputs: outputs, activation: activation)
        let difference = Self.largestDifference(dx, reference)
        print("propagateToInputs \(activation): largest difference \(difference)")
        #expect(difference < 1e-5)
    }
}
