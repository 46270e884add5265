import Testing
import MNISTNetwork
import TestSupport

@Suite struct SafeTensorsTests {
    @Test func savedNetworkLoadsBackIdentically() throws {
        let directory = TemporaryDirectory()
        let network = makeNetwork(hidden: [50, 100], activation: .sigmoid, mean: 0.1307, std: 0.3081)
        try network.save(to: directory.file("w.safetensors"), metadata: ["seed": "7"])
        let loaded = try Network.load(path: directory.file("w.safetensors"))
        #expect(loaded.network == network)
        #expect(loaded.network.architecture == [784, 50, 100, 10])
        #expect(loaded.metadata["seed"] == "7")
        #expect(loaded.metadata["activation"] == "sigmoid")
    }

    @Test func readsPyTorchLayoutByChainingShapes() throws {
        // Names sort in the wrong order on purpose: "a_out" is the last layer.
        let first = makeNetwork(hidden: [3]).layers
        var fixture = SafeTensorsFixture()
        func transposed(_ layer: DenseLayer) -> [Float] {
            var out = [Float](repeating: 0, count: layer.weights.count)
            for i in 0..<layer.inputs { for o in 0..<layer.outputs { out[o * layer.inputs + i] = layer.weights[i * layer.outputs + o] } }
            return out
        }
        fixture.add("a_out.weight", shape: [10, 3], transposed(first[1]))
        fixture.add("a_out.bias", shape: [10], first[1].bias)
        fixture.add("z_in.weight", shape: [3, 784], transposed(first[0]))
        fixture.add("z_in.bias", shape: [3], first[0].bias)
        fixture.metadata = ["activation": "logistic"]
        let file = try SafeTensors(bytes: fixture.bytes, path: "torch.safetensors")
        let loaded = try Network.load(file)
        #expect(loaded.network.layers == first)
        #expect(loaded.network.hiddenActivation == .sigmoid)
    }

    @Test func ambiguousPyTorchChainIsRefused() throws {
        var fixture = SafeTensorsFixture()
        fixture.add("a.weight", shape: [10, 784], [Float](repeating: 0, count: 7840))
        fixture.add("a.bias", shape: [10], [Float](repeating: 0, count: 10))
        fixture.add("b.weight", shape: [10, 784], [Float](repeating: 0, count: 7840))
        fixture.add("b.bias", shape: [10], [Float](repeating: 0, count: 10))
        let file = try SafeTensors(bytes: fixture.bytes, path: "p")
        #expect(throws: WeightsError.self) { try Network.load(file) }
        do { _ = try Network.load(file) } catch {
            guard case .ambiguousChain = error.kind else { Issue.record("got \(error)"); return }
        }
    }

    @Test func convertsHalfBFloatAndDoubleToFloat() throws {
        let values: [Float] = [1.5, -2.25, 0.125]
        var fixture = SafeTensorsFixture()
        fixture.tensors.append(.init(name: "h", dtype: "F16", shape: [3],
            data: values.flatMap { v in withUnsafeBytes(of: Float16(v).bitPattern.littleEndian) { Array($0) } }))
        fixture.tensors.append(.init(name: "bf", dtype: "BF16", shape: [3],
            data: values.flatMap { v in withUnsafeBytes(of: UInt16(v.bitPattern >> 16).littleEndian) { Array($0) } }))
        fixture.tensors.append(.init(name: "d", dtype: "F64", shape: [3],
            data: values.flatMap { v in withUnsafeBytes(of: Double(v).bitPattern.littleEndian) { Array($0) } }))
        let file = try SafeTensors(bytes: fixture.bytes, path: "p")
        #expect(try file.floats("h") == values)
        #expect(try file.floats("bf") == values)
        #expect(try file.floats("d") == values)
    }

    /// Numbers in the metadata may carry spaces and tabs around them.
    @Test func metadataNumbersAreTrimmed() throws {
        var f = Self.valid()
        f.metadata = ["input_mean": " \\t0.25 ", "input_std": "0.5\\t"]  // "\\t" is JSON's escape for a tab
        let network = try Network.load(SafeTensors(bytes: f.bytes, path: "w.safetensors")).network
        #expect(network.inputMean == 0.25)
        #expect(network.inputStd == 0.5)
    }

    /// A valid 784-2-10 file that each malformed case below damages in one way.
    static func valid() -> SafeTensorsFixture {
        var fixture = SafeTensorsFixture()
        fixture.add("W1", shape: [784, 2], [Float](repeating: 0.01, count: 1568))
        fixture.add("b1", shape: [2], [0, 0])
        fixture.add("W2", shape: [2, 10], [Float](repeating: 0.5, count: 20))
        fixture.add("b2", shape: [10], [Float](repeating: 0, count: 10))
        return fixture
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let bytes: [UInt8]
        let check: @Sendable (WeightsError.Kind) -> Bool
        var testDescription: String { name }
    }

    static let malformed: [Case] = {
        var cases: [Case] = []
        func add(_ name: String, _ bytes: [UInt8], _ check: @escaping @Sendable (WeightsError.Kind) -> Bool) {
            cases.append(Case(name: name, bytes: bytes, check: check))
        }
        add("empty file", []) { if case .fileTooSmall = $0 { true } else { false } }
        var f = valid(); f.headerLengthOverride = 1 << 40
        add("header length beyond the file", f.bytes) { if case .headerLengthBeyondFile = $0 { true } else { false } }
        f = valid(); f.headerOverride = "{\"W1\": [not json"
        add("invalid JSON header", f.bytes) { if case .invalidHeader = $0 { true } else { false } }
        f = valid(); f.tensors[0].shape = [784, 3]
        add("shape disagrees with data size", f.bytes) { if case .sizeMismatch = $0 { true } else { false } }
        f = valid(); f.tensors[2].offsets = (6276, 6356)  // W2 starts inside b1 [6272, 6280)
        add("overlapping offsets", f.bytes) { if case .overlappingTensors = $0 { true } else { false } }
        f = valid(); f.tensors[3].offsets = (99_999, 100_039)
        add("offsets beyond the data", f.bytes) { if case .offsetsOutOfRange = $0 { true } else { false } }
        f = valid(); f.tensors[1].dtype = "I64"
        add("unknown dtype", f.bytes) { if case .unknownDtype(tensor: "b1", dtype: "I64") = $0 { true } else { false } }
        f = valid(); f.tensors[2].data = SafeTensorsFixture.f32([Float](repeating: .nan, count: 20))
        add("NaN weights", f.bytes) { if case .nonFinite(tensor: "W2", index: 0) = $0 { true } else { false } }
        f = valid(); f.tensors[3].data = SafeTensorsFixture.f32([0, 0, .infinity] + [Float](repeating: 0, count: 7))
        add("infinite bias", f.bytes) { if case .nonFinite(tensor: "b2", index: 2) = $0 { true } else { false } }
        f = valid(); f.tensors[0].shape = [28, 56]
        add("first layer not 784 inputs", f.bytes) { if case .badShape(tensor: "W1", shape: [28, 56]) = $0 { true } else { false } }
        f = valid(); f.tensors.removeLast()
        add("missing bias", Array(f.bytes)) { if case .missingTensor("b2") = $0 { true } else { false } }
        f = valid(); f.add("extra", shape: [1], [1])
        add("unexpected tensor", f.bytes) { if case .unexpectedTensor("extra") = $0 { true } else { false } }
        f = valid(); f.tensors[2].shape = [2, 5]; f.tensors[2].data = SafeTensorsFixture.f32([Float](repeating: 0, count: 10))
        f.tensors[3].shape = [5]; f.tensors[3].data = SafeTensorsFixture.f32([Float](repeating: 0, count: 5))
        add("last layer not 10 outputs", f.bytes) { if case .shapesDoNotChain = $0 { true } else { false } }
        f = valid(); f.metadata = ["activation": "swish"]
        add("unknown activation", f.bytes) { if case .badMetadata(key: "activation", _, _) = $0 { true } else { false } }
        f = valid(); f.metadata = ["input_std": "0"]
        add("zero input_std", f.bytes) { if case .badMetadata(key: "input_std", _, _) = $0 { true } else { false } }
        f = valid(); f.metadata = ["preprocess": "sharpen"]
        add("unknown preprocess", f.bytes) { if case .badMetadata(key: "preprocess", _, _) = $0 { true } else { false } }
        for text in ["", " \\t", "0.5x", "1e40", "nan"] {  // "\\t" is JSON's escape for a tab
            f = valid(); f.metadata = ["input_mean": text]
            add("input_mean '\(text)'", f.bytes) { if case .badMetadata(key: "input_mean", _, _) = $0 { true } else { false } }
        }
        f = valid(); f.tensors[3].data += [0, 0, 0, 0]; f.tensors[3].offsets = (6364, 6404)  // leaves 6360..<6364 unused
        add("bytes that belong to no tensor", f.bytes) { if case .unindexedBytes = $0 { true } else { false } }
        f = SafeTensorsFixture(); f.headerOverride = "{}"
        add("no tensors", f.bytes) { if case .unknownLayout = $0 { true } else { false } }
        return cases
    }()

    @Test(arguments: malformed)
    func malformedWeightsAreRejected(_ testCase: Case) {
        do {
            let file = try SafeTensors(bytes: testCase.bytes, path: "bad.safetensors")
            _ = try Network.load(file)
            Issue.record("\(testCase.name): no error")
        } catch {
            #expect(testCase.check(error.kind), "\(testCase.name): got \(error)")
            #expect(error.description.hasPrefix("bad.safetensors: "))
        }
    }

    @Test func missingFileAndDirectoryAreUnreadable() throws {
        let directory = TemporaryDirectory()
        for path in [directory.file("absent.safetensors"), directory.path] {
            do { _ = try Network.load(path: path); Issue.record("no error for \(path)") } catch {
                #expect(error.isUnreadableFile, "\(error)")
            }
        }
    }
}
