// Placeholder for the safetensors reader/writer (lands with the network work).
extension Network {
    /// Writes the network in the project's safetensors layout (`W1`, `b1`, ...)
    /// with `activation`, `input_mean`, `input_std` and `extraMetadata` in `__metadata__`.
    public func save(to path: String, metadata extraMetadata: [String: String] = [:]) throws {
        fatalError("Network.save lands with the weights reader")
    }
}
