import Testing
@testable import MNISTNetwork
@testable import MNISTTraining

import Glibc

/// The backward pass (Float kernels) against central finite differences of a
/// Double re-implementation of the loss, for every parameter of a 6-5-4-3 stack.
@Suite struct GradientCheckTests {
    static let architecture = [6, 5, 4, 3]
    static let rows = 4

    /// Mean softmax cross-entropy of `rows` inputs, all in Double.
    static func loss(_ parameters: [[Double]], _ biases: [[Double]], x: [Double], labels: [UInt8], activation: Activation) -> Double {
        var total = 0.0
        for r in 0..<rows {
            var a = Array(x[(r * architecture[0])..<((r + 1) * architecture[0])])
            for l in 0..<(architecture.count - 1) {
                let (n, m) = (architecture[l], architecture[l + 1])
                var z = biases[l]
                for i in 0..<n { for j in 0..<m { z[j] += a[i] * parameters[l][i * m + j] } }
                let isOutput = l == architecture.count - 2
                a = isOutput ? z : z.map { value in
                    switch activation {
                    case .sigmoid: return 1 / (1 + exp(-value))
                    case .relu: return max(0, value)
                    case .tanh: return tanh(value)
                    default: return value
                    }
                }
            }
            let maximum = a.max()!
            let sum = a.reduce(0) { $0 + exp($1 - maximum) }
            total += log(sum) - (a[Int(labels[r])] - maximum)
        }
        return total / Double(rows)
    }

    @Test(arguments: [Activation.identity, .sigmoid, .relu, .tanh])
    func backwardPassMatchesFiniteDifferences(activation: Activation) {
        let network = Network.initialized(architecture: Self.architecture, activation: activation, seed: 7)
        var generator = SeededGenerator(seed: 99)
        let x = (0..<(Self.rows * Self.architecture[0])).map { _ in generator.symmetric(1) }
        let labels: [UInt8] = [0, 2, 1, 2]

        let shard = ShardWorkspace(network: network, capacity: Self.rows)
        shard.input.update(from: x, count: x.count)
        shard.labels.update(from: labels, count: labels.count)
        shard.run(network: network, rows: Self.rows, lossScale: 1 / Float(Self.rows))
        let analytic = Array(UnsafeBufferPointer(start: shard.gradient, count: shard.layout.count))

        let weights = network.layers.map { $0.weights.map(Double.init) }
        let biases = network.layers.map { $0.bias.map(Double.init) }
        let xs = x.map(Double.init)
        let step = 1e-6
        /// Central difference of the loss when `nudge` moves one parameter by ±step.
        func numeric(_ nudge: (inout [[Double]], inout [[Double]], Double) -> Void) -> Double {
            var (plusW, plusB, minusW, minusB) = (weights, biases, weights, biases)
            nudge(&plusW, &plusB, step)
            nudge(&minusW, &minusB, -step)
            return (Self.loss(plusW, plusB, x: xs, labels: labels, activation: activation)
                - Self.loss(minusW, minusB, x: xs, labels: labels, activation: activation)) / (2 * step)
        }
        var worst = 0.0
        for (l, entry) in shard.layout.entries.enumerated() {
            for (k, index) in entry.weights.enumerated() {
                let estimate = numeric { w, _, h in w[l][k] += h }
                worst = max(worst, Self.relativeError(Double(analytic[index]), estimate))
            }
            for (k, index) in entry.bias.enumerated() {
                let estimate = numeric { _, b, h in b[l][k] += h }
                worst = max(worst, Self.relativeError(Double(analytic[index]), estimate))
            }
        }
        print("\(activation): largest relative gradient error \(worst)")
        #expect(worst < 1e-3)
    }

    /// `|a - b| / max(|a|, |b|, 1e-4)`: relative, but not blown up by near-zero gradients.
    static func relativeError(_ a: Double, _ b: Double) -> Double {
        abs(a - b) / max(abs(a), abs(b), 1e-4)
    }

    /// A shard reused for another batch (as every training step does) gives
    /// the same gradient bits as a fresh one: the first layer's rows that the
    /// earlier batch touched and this one does not are cleared, the others
    /// start over from zero.
    @Test func aReusedShardGivesAFreshShardsGradient() {
        let network = Network.initialized(architecture: Self.architecture, activation: .relu, seed: 5)
        var generator = SeededGenerator(seed: 17)
        // Sparse inputs, with inputs that only the first batch uses and ones only the second does.
        func batch(_ active: Set<Int>) -> [Float] {
            (0..<(Self.rows * Self.architecture[0])).map { active.contains($0 % Self.architecture[0]) ? generator.symmetric(1) : 0 }
        }
        let first = batch([0, 1, 3]), second = batch([1, 2, 5])
        let labels: [UInt8] = [1, 0, 2, 2]
        func run(_ shard: ShardWorkspace, _ x: [Float]) -> [UInt32] {
            shard.input.update(from: x, count: x.count)
            shard.labels.update(from: labels, count: labels.count)
            shard.run(network: network, rows: Self.rows, lossScale: 1 / Float(Self.rows))
            return UnsafeBufferPointer(start: shard.gradient, count: shard.layout.count).map(\.bitPattern)
        }
        let reused = ShardWorkspace(network: network, capacity: Self.rows)
        _ = run(reused, first)
        let fresh = ShardWorkspace(network: network, capacity: Self.rows)
        #expect(run(reused, second) == run(fresh, second))
        // And the untouched inputs' rows are exactly zero.
        let width = Self.architecture[1]
        for i in [0, 3, 4] { #expect(UnsafeBufferPointer(start: reused.gradient + i * width, count: width).allSatisfy { $0 == 0 }) }
    }

    @Test func lossOfTheForwardPassMatchesTheDoubleReference() {
        let network = Network.initialized(architecture: Self.architecture, activation: .tanh, seed: 3)
        let x: [Float] = (0..<24).map { Float($0 % 7) / 7 - 0.4 }
        let labels: [UInt8] = [2, 0, 1, 1]
        let shard = ShardWorkspace(network: network, capacity: Self.rows)
        shard.input.update(from: x, count: x.count)
        shard.labels.update(from: labels, count: labels.count)
        shard.run(network: network, rows: Self.rows, lossScale: 1)
        let reference = Self.loss(network.layers.map { $0.weights.map(Double.init) }, network.layers.map { $0.bias.map(Double.init) },
                                  x: x.map(Double.init), labels: labels, activation: .tanh)
        #expect(abs(shard.loss / Double(Self.rows) - reference) < 1e-5)
    }
}
