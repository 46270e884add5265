import MNISTNetwork

/// Training a network on a teacher's answers as well as the labels (Hinton,
/// Vinyals and Dean 2015): the loss mixes the labels' cross-entropy with the
/// cross-entropy between the teacher's and the student's probabilities, both
/// softened by `temperature` and scaled by its square
/// (`BackwardKernels.distilledCrossEntropy`), the teacher seeing exactly the
/// image the student sees (warped, corrupted, preprocessed). A larger teacher
/// knows which wrong digits an image resembles, and that is what a small
/// network learns better from than from the label alone.
public struct Distillation: Sendable, Equatable {
    public var teacher: Network
    /// Where the teacher came from, for the weights' metadata (file name and checksum).
    public var teacherDescription: String
    public var temperature: Float
    public var weight: Float

    public init(teacher: Network, teacherDescription: String, temperature: Float, weight: Float) {
        self.teacher = teacher
        self.teacherDescription = teacherDescription
        self.temperature = temperature
        self.weight = weight
    }

    /// `teacher 784-400-400-10 (teacher.safetensors, crc32 …), temperature 4.0, weight 0.5`.
    public var description: String {
        "teacher \(teacher.architectureDescription) (\(teacherDescription)), temperature \(temperature), weight \(weight)"
    }

    /// Rejects a teacher that cannot see the student's inputs as they are.
    func validate(preprocessing: Preprocessing, inputs: Int, classes: Int) throws(TrainingError) {
        func require(_ condition: Bool, _ option: String, _ expected: String, _ found: String) throws(TrainingError) {
            if !condition { throw TrainingError(.badRecipe(option: option, expected: expected, found: found)) }
        }
        try require(teacher.inputCount == inputs && teacher.outputCount == classes, "teacher",
                    "a \(inputs)-…-\(classes) network", teacher.architectureDescription)
        try require(teacher.preprocessing == preprocessing, "teacher",
                    "weights preprocessed as --preprocess says (\(preprocessing.rawValue))", teacher.preprocessing.rawValue)
        try require(teacher.inputMean == 0 && teacher.inputStd == 1, "teacher", "input mean 0 and std 1 (pixel/255)",
                    "mean \(teacher.inputMean), std \(teacher.inputStd)")
        try require(temperature > 0 && temperature.isFinite, "temperature", "a positive number", "\(temperature)")
        try require(weight >= 0 && weight <= 1, "distill-weight", "a fraction in [0, 1]", "\(weight)")
    }
}

extension Distillation {
    /// The teacher at `path` (safetensors), named in the metadata by its file
    /// name and the CRC-32 of its parameters (every layer's weights then bias,
    /// as little-endian floats), which identify it whatever the file's header.
    public static func load(teacherAt path: String, temperature: Float, weight: Float) throws -> Distillation {
        let teacher = try Network.load(path: path).network
        let parameters = teacher.layers.flatMap { [$0.weights, $0.bias] }.map { values in
            values.flatMap { value in withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) } }
        }
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return Distillation(teacher: teacher,
                            teacherDescription: "\(name), parameters crc32 \(TrainingData.hex(TrainingData.crc32(of: parameters)))",
                            temperature: temperature, weight: weight)
    }
}
