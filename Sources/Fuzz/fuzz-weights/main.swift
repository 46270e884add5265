import FuzzSupport
import MNISTNetwork

/// The weights reader as the CLI calls it (`Network.load(path:)`, 784 inputs
/// and 10 outputs), then the same file loaded as a 3-input, 2-output network,
/// which small inputs can satisfy: that reaches layer chaining and the
/// float conversion, which a 784-wide network needs kilobytes for.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWeights(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    Fuzz.withFiles([Fuzz.bytes(data, size)]) { paths in
        var firstError: (any Error)?
        do {
            check(try Network.load(path: paths[0]).network, inputs: Network.mnistInputs, outputs: Network.mnistOutputs)
        } catch {
            firstError = error
        }
        check(try Network.load(path: paths[0], inputs: 3, outputs: 2).network, inputs: 3, outputs: 2)
        if let firstError { throw firstError }
    }
    return 0
}

private func check(_ network: Network, inputs: Int, outputs: Int) {
    Fuzz.require(network.inputCount == inputs && network.outputCount == outputs,
                 "loaded \(network.architectureDescription) for \(inputs) inputs and \(outputs) outputs")
    for layer in network.layers {
        Fuzz.require(layer.weights.allSatisfy(\.isFinite) && layer.bias.allSatisfy(\.isFinite), "non-finite weight loaded")
    }
    Fuzz.require(network.inputMean.isFinite && network.inputStd.isFinite && network.inputStd != 0,
                 "bad input transform loaded")
}

Fuzz.main("fuzz-weights", fuzzWeights)
