import MNISTPlumbing

/// Loading and saving networks as safetensors.
///
/// Two layouts are read:
/// - the project's own: `W1` `[784, 100]`, `b1` `[100]`, `W2` `[100, 10]`, `b2` `[10]`, ...
///   (`y = x·W + b`);
/// - PyTorch `nn.Linear` state dicts: `<name>.weight` `[out, in]`, `<name>.bias` `[out]`,
///   any names, ordered by chaining shapes from the input width to the output width.
///
/// `__metadata__` keys `activation`, `input_mean` and `input_std` set the hidden
/// activation and input transform, and `preprocess` what is done to each image
/// before it (`frame-background`; absent: nothing); other keys are kept in
/// `metadata`.
extension Network {
    /// The MNIST shape every loaded network must have at its ends.
    public static let mnistInputs = 784
    public static let mnistOutputs = 10

    public struct Loaded: Sendable {
        public var network: Network
        public var metadata: [String: String]
    }

    public static func load(path: String, inputs: Int = mnistInputs, outputs: Int = mnistOutputs) throws(WeightsError) -> Loaded {
        let file = try SafeTensors(path: path)
        return try load(file, inputs: inputs, outputs: outputs)
    }

    public static func load(_ file: SafeTensors, inputs: Int = mnistInputs, outputs: Int = mnistOutputs) throws(WeightsError) -> Loaded {
        // Layout and metadata errors are about what the JSON header declares.
        do { return try build(file, inputs: inputs, outputs: outputs) } catch { throw error.located(at: SafeTensors.headerOffset) }
    }

    private static func build(_ file: SafeTensors, inputs: Int, outputs: Int) throws(WeightsError) -> Loaded {
        let names = file.entries.keys.sorted()
        let layers: [DenseLayer]
        if names.contains(where: { $0.hasSuffix(".weight") }) {
            layers = try torchLayers(file, inputs: inputs, outputs: outputs)
        } else if names.contains("W1") {
            layers = try projectLayers(file, inputs: inputs, outputs: outputs)
        } else {
            throw WeightsError(.unknownLayout(names: names), path: file.path)
        }
        let metadata = file.metadata
        let activation = try metadataActivation(metadata, path: file.path)
        let mean = try metadataFloat(metadata, "input_mean", default: 0, path: file.path)
        let std = try metadataFloat(metadata, "input_std", default: 1, path: file.path)
        guard std != 0 else {
            throw WeightsError(.badMetadata(key: "input_std", value: metadata["input_std"] ?? "", expected: "a non-zero number"), path: file.path)
        }
        let preprocessing = try metadataPreprocessing(metadata, inputs: inputs, path: file.path)
        let network = Network(layers: layers, hiddenActivation: activation, inputMean: mean, inputStd: std,
                              preprocessing: preprocessing)
        return Loaded(network: network, metadata: metadata)
    }

    /// `W1, b1, W2, b2, ...` with `W` as `[in, out]`.
    private static func projectLayers(_ file: SafeTensors, inputs: Int, outputs: Int) throws(WeightsError) -> [DenseLayer] {
        var layers: [DenseLayer] = []
        var width = inputs
        var used: Set<String> = []
        var index = 1
        while file.entries["W\(index)"] != nil {
            let weightName = "W\(index)", biasName = "b\(index)"
            guard let bias = file.entries[biasName] else { throw WeightsError(.missingTensor(biasName), path: file.path) }
            let weight = file.entries[weightName]!
            guard weight.shape.count == 2, weight.shape[0] == width, weight.shape[1] > 0 else {
                throw WeightsError(.badShape(tensor: weightName, shape: weight.shape), path: file.path)
            }
            let out = weight.shape[1]
            guard bias.shape == [out] else { throw WeightsError(.badShape(tensor: biasName, shape: bias.shape), path: file.path) }
            layers.append(DenseLayer(inputs: width, outputs: out,
                                     weights: try file.floats(weightName), bias: try file.floats(biasName)))
            used.formUnion([weightName, biasName])
            width = out
            index += 1
        }
        if let extra = file.entries.keys.sorted().first(where: { !used.contains($0) }) {
            throw WeightsError(.unexpectedTensor(extra), path: file.path)
        }
        guard width == outputs else {
            throw WeightsError(.shapesDoNotChain("the last layer W\(index - 1) has \(width) outputs; expected \(outputs)"), path: file.path)
        }
        return layers
    }

    /// PyTorch `nn.Linear` pairs, chained by shape from `inputs` to `outputs`.
    private static func torchLayers(_ file: SafeTensors, inputs: Int, outputs: Int) throws(WeightsError) -> [DenseLayer] {
        var pending: [String: (outputs: Int, inputs: Int)] = [:]
        for name in file.entries.keys.sorted() {
            guard name.hasSuffix(".weight") || name.hasSuffix(".bias") else {
                throw WeightsError(.unexpectedTensor(name), path: file.path)
            }
            guard name.hasSuffix(".weight") else { continue }
            let prefix = String(name.dropLast(".weight".count))
            let shape = file.entries[name]!.shape
            guard shape.count == 2, shape[0] > 0, shape[1] > 0 else {
                throw WeightsError(.badShape(tensor: name, shape: shape), path: file.path)
            }
            guard let bias = file.entries[prefix + ".bias"] else { throw WeightsError(.missingTensor(prefix + ".bias"), path: file.path) }
            guard bias.shape == [shape[0]] else { throw WeightsError(.badShape(tensor: prefix + ".bias", shape: bias.shape), path: file.path) }
            pending[prefix] = (outputs: shape[0], inputs: shape[1])
        }
        for name in file.entries.keys where name.hasSuffix(".bias") {
            let prefix = String(name.dropLast(".bias".count))
            if pending[prefix] == nil { throw WeightsError(.missingTensor(prefix + ".weight"), path: file.path) }
        }
        var order: [String] = []
        var width = inputs
        while !pending.isEmpty {
            let candidates = pending.filter { $0.value.inputs == width }.map(\.key).sorted()
            guard candidates.count <= 1 else {
                throw WeightsError(.ambiguousChain("\(candidates.joined(separator: ", ")) all take \(width) inputs"), path: file.path)
            }
            guard let next = candidates.first else {
                let left = pending.map { "\($0.key) [\($0.value.outputs), \($0.value.inputs)]" }.sorted().joined(separator: ", ")
                throw WeightsError(.shapesDoNotChain("no layer takes \(width) inputs; left over: \(left); expected each layer to take the previous one's outputs"), path: file.path)
            }
            order.append(next)
            width = pending.removeValue(forKey: next)!.outputs
        }
        guard width == outputs else {
            throw WeightsError(.shapesDoNotChain("the chain ends with \(width) outputs; expected \(outputs)"), path: file.path)
        }
        var layers: [DenseLayer] = []
        for prefix in order {
            let shape = file.entries[prefix + ".weight"]!.shape
            let (out, inp) = (shape[0], shape[1])
            let rowsOut = try file.floats(prefix + ".weight")  // [out, in]
            var transposed = [Float](repeating: 0, count: out * inp)
            for o in 0..<out { for i in 0..<inp { transposed[i * out + o] = rowsOut[o * inp + i] } }
            layers.append(DenseLayer(inputs: inp, outputs: out, weights: transposed, bias: try file.floats(prefix + ".bias")))
        }
        return layers
    }

    private static func metadataActivation(_ metadata: [String: String], path: String) throws(WeightsError) -> Activation {
        guard let name = metadata["activation"] else { return .relu }
        guard let activation = Activation(name: name) else {
            throw WeightsError(.badMetadata(key: "activation", value: name, expected: "relu, sigmoid (or logistic), tanh, identity or step"), path: path)
        }
        return activation
    }

    private static func metadataPreprocessing(_ metadata: [String: String], inputs: Int, path: String) throws(WeightsError) -> Preprocessing {
        let key = Preprocessing.metadataKey
        guard let name = metadata[key] else { return .none }
        guard let preprocessing = Preprocessing(name: String(NumberFormat.trimmed(name))) else {
            let known = Preprocessing.allCases.map(\.rawValue).joined(separator: " or ")
            throw WeightsError(.badMetadata(key: key, value: name, expected: known), path: path)
        }
        guard preprocessing == .none || inputs == Preprocessing.side * Preprocessing.side else {
            throw WeightsError(.badMetadata(key: key, value: name, expected: "none for \(inputs) inputs (it works on 28×28 images)"),
                               path: path)
        }
        return preprocessing
    }

    private static func metadataFloat(_ metadata: [String: String], _ key: String, default value: Float, path: String) throws(WeightsError) -> Float {
        guard let text = metadata[key] else { return value }
        guard let parsed = Float(NumberFormat.trimmed(text)), parsed.isFinite else {
            throw WeightsError(.badMetadata(key: key, value: text, expected: "a finite number"), path: path)
        }
        return parsed
    }

    /// Writes the project's layout (`W1`, `b1`, ...) as F32, with `activation`,
    /// `input_mean`, `input_std` and `architecture` in `__metadata__` plus `extra`.
    public func save(to path: String, metadata extra: [String: String] = [:]) throws(WeightsError) {
        var metadata = extra
        metadata["activation"] = hiddenActivation.rawValue
        metadata["input_mean"] = "\(inputMean)"
        metadata["input_std"] = "\(inputStd)"
        metadata["architecture"] = architectureDescription
        if preprocessing != .none { metadata[Preprocessing.metadataKey] = preprocessing.rawValue }
        var tensors: [(name: String, shape: [Int], values: [Float])] = []
        for (index, layer) in layers.enumerated() {
            tensors.append(("W\(index + 1)", [layer.inputs, layer.outputs], layer.weights))
            tensors.append(("b\(index + 1)", [layer.outputs], layer.bias))
        }
        try FileBytes.write(SafeTensors.encode(tensors: tensors, metadata: metadata), to: path)
    }
}
