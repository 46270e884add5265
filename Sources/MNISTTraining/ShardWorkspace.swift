import MNISTNetwork

/// Where each layer's parameters sit in one flat vector `[W1, b1, W2, b2, ...]`:
/// the layout shared by shard gradients, their reduction and the optimiser state.
public struct ParameterLayout: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var weights: Range<Int>
        public var bias: Range<Int>
    }

    public let entries: [Entry]
    public let count: Int

    public init(_ network: Network) {
        var offset = 0
        var entries: [Entry] = []
        for layer in network.layers {
            let weights = offset..<(offset + layer.weights.count)
            let bias = weights.upperBound..<(weights.upperBound + layer.bias.count)
            entries.append(Entry(weights: weights, bias: bias))
            offset = bias.upperBound
        }
        self.entries = entries
        self.count = offset
    }
}

/// The buffers one gradient shard needs, allocated once and reused every step:
/// inputs `x: [rows, 784]`, each layer's output `[rows, width]` (the last is the
/// logits), two delta buffers that alternate going backwards, and the shard's
/// gradient in `ParameterLayout` order.
///
/// A shard is always computed by one thread from start to end, and its result
/// depends only on its images, so which thread runs it does not matter.
final class ShardWorkspace: @unchecked Sendable {
    let capacity: Int
    let widths: [Int]
    let layout: ParameterLayout
    let input: UnsafeMutablePointer<Float>
    let outputs: [UnsafeMutablePointer<Float>]
    let deltas: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>)
    let labels: UnsafeMutablePointer<UInt8>
    let gradient: UnsafeMutablePointer<Float>
    /// The teacher's layer outputs (the last is its logits), when distilling.
    private var teacherOutputs: [UnsafeMutablePointer<Float>] = []
    /// One image on its way through corruption and preprocessing.
    private let staging: UnsafeMutablePointer<Float>
    private let bytes: UnsafeMutablePointer<UInt8>
    private let prepared: UnsafeMutablePointer<UInt8>
    /// The first layer's weight-gradient rows that got a term in the last
    /// `run` (its other rows are zero); `wasTouched` is the run before.
    let touched: UnsafeMutablePointer<Bool>
    private let wasTouched: UnsafeMutablePointer<Bool>
    /// Summed cross-entropy of the last `run`.
    private(set) var loss = 0.0

    init(network: Network, capacity: Int) {
        self.capacity = capacity
        widths = network.architecture
        layout = ParameterLayout(network)
        input = .allocate(capacity: capacity * widths[0])
        outputs = widths.dropFirst().map { UnsafeMutablePointer<Float>.allocate(capacity: capacity * $0) }
        let widest = widths.dropFirst().max()!
        deltas = (.allocate(capacity: capacity * widest), .allocate(capacity: capacity * widest))
        labels = .allocate(capacity: capacity)
        gradient = .allocate(capacity: layout.count)
        gradient.initialize(repeating: 0, count: layout.count)
        touched = .allocate(capacity: widths[0])
        touched.initialize(repeating: false, count: widths[0])
        wasTouched = .allocate(capacity: widths[0])
        staging = .allocate(capacity: widths[0])
        bytes = .allocate(capacity: widths[0])
        prepared = .allocate(capacity: widths[0])
    }

    deinit {
        input.deallocate()
        outputs.forEach { $0.deallocate() }
        deltas.0.deallocate()
        deltas.1.deallocate()
        labels.deallocate()
        gradient.deallocate()
        touched.deallocate()
        wasTouched.deallocate()
        staging.deallocate()
        bytes.deallocate()
        prepared.deallocate()
        teacherOutputs.forEach { $0.deallocate() }
    }

    /// Room for `teacher`'s activations, once, before the first `run` that distils.
    func prepareTeacher(_ teacher: Network) {
        precondition(teacherOutputs.isEmpty, "one teacher per workspace")
        teacherOutputs = teacher.architecture.dropFirst().map { UnsafeMutablePointer<Float>.allocate(capacity: capacity * $0) }
    }

    /// Fills row `row` of the input from a 28×28 image: distorted when `distortion` is
    /// given, otherwise `pixel / 255` as it is.
    func loadImage(_ pixels: UnsafePointer<UInt8>, label: UInt8, row: Int, distortion: Distortion?) {
        let width = widths[0]
        let destination = input + row * width
        if let distortion {
            distortion.apply(pixels, into: destination, scale: 1 / 255)
        } else {
            for i in 0..<width { destination[i] = Float(pixels[i]) * (1 / 255) }
        }
        labels[row] = label
    }

    /// Fills row `row` the long way, as a picture: distorted (if `distortion`),
    /// corrupted by `corruption` with `generator`, stored as bytes as any image
    /// is, preprocessed, then `byte / 255`. The network sees training images
    /// exactly as the tools will show it theirs.
    func loadImage(_ pixels: UnsafePointer<UInt8>, label: UInt8, row: Int, distortion: Distortion?,
                   corruption: CorruptionSettings?, generator: inout SeededGenerator, preprocessing: Preprocessing) {
        let width = widths[0]
        if let distortion {
            distortion.apply(pixels, into: staging, scale: 1 / 255)
        } else {
            for i in 0..<width { staging[i] = Float(pixels[i]) * (1 / 255) }
        }
        corruption?.apply(staging, using: &generator)
        Self.quantize(staging, into: bytes, count: width)
        let source = preprocessing == .none ? UnsafePointer(bytes) : {
            preprocessing.apply(bytes, into: prepared)
            return UnsafePointer(prepared)
        }()
        let destination = input + row * width
        for i in 0..<width { destination[i] = Float(source[i]) * (1 / 255) }
        labels[row] = label
    }

    /// `0…1` floats to the nearest bytes `0…255`, as an image file stores them.
    static func quantize(_ values: UnsafePointer<Float>, into bytes: UnsafeMutablePointer<UInt8>, count: Int) {
        for i in 0..<count { bytes[i] = UInt8(min(max(values[i], 0), 1) * 255 + 0.5) }
    }

    /// Forward through `network` with the shared layer kernels, then backward;
    /// overwrites `gradient` with this shard's share of the batch-mean gradient
    /// (`lossScale` is `1 / batchSize`) and `loss` with the summed loss.
    func run(network: Network, rows: Int, lossScale: Float, distillation: Distillation? = nil) {
        precondition(rows > 0 && rows <= capacity, "shard rows out of range")
        let layers = network.layers
        let last = layers.count - 1
        for (l, layer) in layers.enumerated() {
            let source = l == 0 ? UnsafePointer(input) : UnsafePointer(outputs[l - 1])
            // The input layer's images are ~80% exact zeros: skip them (same result).
            layer.forward(source, rows: rows, into: outputs[l], activation: l == last ? .identity : network.hiddenActivation,
                          sparseInput: l == 0)
        }
        if let distillation {
            let teacher = distillation.teacher
            for (l, layer) in teacher.layers.enumerated() {
                let source = l == 0 ? UnsafePointer(input) : UnsafePointer(teacherOutputs[l - 1])
                layer.forward(source, rows: rows, into: teacherOutputs[l],
                              activation: l == teacher.layers.count - 1 ? .identity : teacher.hiddenActivation, sparseInput: l == 0)
            }
            loss = BackwardKernels.distilledCrossEntropy(
                logits: outputs[last], teacherLogits: teacherOutputs[teacherOutputs.count - 1], labels: labels, rows: rows,
                classes: widths[last + 1], temperature: distillation.temperature, weight: distillation.weight,
                scale: lossScale, into: deltas.0)
        } else {
            loss = BackwardKernels.softmaxCrossEntropy(
                logits: outputs[last], labels: labels, rows: rows, classes: widths[last + 1],
                scale: lossScale, into: deltas.0)
        }

        // The first layer's weight rows are cleared only where the last run left
        // a sum and this one adds none (below): an image touches a fraction of
        // them, and clearing all 313 KB per shard and step was 4% of training.
        let firstWeights = layout.entries[0].weights
        (gradient + firstWeights.upperBound).update(repeating: 0, count: layout.count - firstWeights.upperBound)
        wasTouched.update(from: touched, count: widths[0])
        touched.update(repeating: false, count: widths[0])
        var delta = deltas.0, spare = deltas.1
        for l in stride(from: last, through: 0, by: -1) {
            let layer = layers[l]
            let below = l == 0 ? UnsafePointer(input) : UnsafePointer(outputs[l - 1])
            let entry = layout.entries[l]
            BackwardKernels.accumulateWeightGradient(
                x: below, dy: delta, rows: rows, inputs: layer.inputs, outputs: layer.outputs,
                into: gradient + entry.weights.lowerBound, touched: l == 0 ? touched : nil)
            BackwardKernels.accumulateBiasGradient(
                dy: delta, rows: rows, outputs: layer.outputs, into: gradient + entry.bias.lowerBound)
            guard l > 0 else { break }
            layer.weights.withUnsafeBufferPointer { w in
                BackwardKernels.propagateToInputs(
                    dy: delta, weights: w.baseAddress!, activationOutput: outputs[l - 1],
                    rows: rows, inputs: layer.inputs, outputs: layer.outputs,
                    activation: network.hiddenActivation, into: spare)
            }
            swap(&delta, &spare)
        }
        let width = widths[1]
        for i in 0..<widths[0] where wasTouched[i] && !touched[i] {
            (gradient + firstWeights.lowerBound + i * width).update(repeating: 0, count: width)
        }
    }
}
