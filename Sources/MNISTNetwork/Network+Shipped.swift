import CShippedModel

/// The weights this project trains and ships (`Data/mnist-784-100-10.safetensors`),
/// built into every binary that links this module.
extension Network {
    /// What reports call the built-in weights in place of a path.
    public static let shippedWeightsName = "built-in mnist-784-100-10"

    /// The shipped network and its metadata, parsed from the built-in bytes.
    ///
    /// The bytes are the file's, checked like any weights file; a failure here
    /// would be a broken build, not bad input.
    public static func loadShipped() -> Loaded {
        let bytes = Array(UnsafeBufferPointer(start: cshippedmodel_bytes(), count: cshippedmodel_count()))
        do {
            return try load(SafeTensors(bytes: bytes, path: shippedWeightsName))
        } catch {
            fatalError("the built-in weights do not load: \(error)")
        }
    }
}
