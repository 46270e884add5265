import MNISTPlumbing

/// Everything that can be wrong with a weights file, with the file and, where
/// it helps, the byte offset. All message text is written in `description`.
public struct WeightsError: FileError, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Equatable, Sendable {
        case cannotOpen(reason: String)
        case isDirectory
        case readFailed(reason: String)
        case fileTooSmall(size: Int)
        /// The JSON header does not start with `{`: another kind of file.
        case notSafetensors(firstBytes: [UInt8])
        case headerLengthBeyondFile(headerLength: UInt64, fileSize: Int)
        case invalidHeader(String)
        case unknownDtype(tensor: String, dtype: String)
        case badShape(tensor: String, shape: [Int])
        case offsetsOutOfRange(tensor: String, begin: Int, end: Int, dataSize: Int)
        case sizeMismatch(tensor: String, expectedBytes: Int, foundBytes: Int)
        case overlappingTensors(String, String)
        case unindexedBytes(begin: Int, end: Int)
        case nonFinite(tensor: String, index: Int)
        case unknownLayout(names: [String])
        case missingTensor(String)
        case unexpectedTensor(String)
        /// The value says what does not chain and what was expected, in the message's `...; expected ...` form.
        case shapesDoNotChain(String)
        case ambiguousChain(String)
        case badMetadata(key: String, value: String, expected: String)
        case writeFailed(reason: String)
    }

    public let kind: Kind
    public let path: String
    public let offset: Int?

    public init(_ kind: Kind, path: String, offset: Int? = nil) {
        self.kind = kind
        self.path = path
        self.offset = offset
    }

    /// This error at `offset` unless it already names one: layout errors found
    /// after parsing point at the JSON header that declared the layout.
    func located(at offset: Int) -> WeightsError {
        self.offset == nil ? WeightsError(kind, path: path, offset: offset) : self
    }

    /// The file could not be read at all (exit 66), as opposed to being malformed (exit 65).
    public var isUnreadableFile: Bool {
        switch kind {
        case .cannotOpen, .isDirectory, .readFailed, .writeFailed: return true
        default: return false
        }
    }

    /// The kind of file `bytes` (its start) looks like, for the message.
    static func knownFormat(_ bytes: [UInt8]) -> String? {
        let signatures: [([UInt8], String)] = [
            ([0x89, 0x50, 0x4E, 0x47], "a PNG image"), ([0x1F, 0x8B], "gzip data"), ([0xFF, 0xD8, 0xFF], "a JPEG image"),
            ([0x50, 0x4B, 0x03, 0x04], "a zip archive, as PyTorch's .pt files are"), ([0x80], "a Python pickle"),
            ([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59], "a numpy .npy file"), ([0x08], "an ONNX model or another protobuf"),
            ([0x00, 0x00, 0x08], "an IDX file"),
        ]
        return signatures.first { bytes.starts(with: $0.0) }?.1
    }

    public var description: String {
        let place = offset.map { "\(path): byte \($0): " } ?? "\(path): "
        return place + problem
    }

    private var problem: String {
        switch kind {
        case .cannotOpen(let reason): return "cannot open weights file: \(reason)"
        case .isDirectory: return "is a directory; expected a safetensors weights file"
        case .readFailed(let reason): return "read failed: \(reason)"
        case .fileTooSmall(let size):
            return "not a safetensors file; expected at least 8 bytes of header length, found \(size) bytes"
        case .notSafetensors(let bytes):
            let hex = bytes.map { byte in String(byte, radix: 16).count == 1 ? "0" + String(byte, radix: 16) : String(byte, radix: 16) }
            let kind = Self.knownFormat(bytes).map { " (\($0))" } ?? ""
            return "not a safetensors file: it starts with bytes \(hex.joined(separator: " "))\(kind); "
                + "expected an 8-byte header length, then a JSON header starting with '{'"
        case .headerLengthBeyondFile(let length, let size):
            return "safetensors header length \(length) goes beyond the end of the file; expected at most \(max(0, size - 8))"
        case .invalidHeader(let why):
            let expected = why.contains("; expected") ? "" : "; expected a JSON object of {dtype, shape, data_offsets} per tensor"
            let reason = why.hasSuffix(".") ? String(why.dropLast()) : why
            return "invalid safetensors JSON header: \(reason)" + expected
        case .unknownDtype(let tensor, let dtype):
            return "tensor '\(tensor)' has dtype \(dtype); expected F32, F16, BF16 or F64"
        case .badShape(let tensor, let shape):
            return "tensor '\(tensor)' has shape \(shape), which does not fit the network; "
                + "expected weights [inputs, outputs] (PyTorch [outputs, inputs]) and bias [outputs] chaining the layers"
        case .offsetsOutOfRange(let tensor, let begin, let end, let size):
            return "tensor '\(tensor)' data_offsets [\(begin), \(end)] are out of range; expected 0 <= begin <= end <= \(size)"
        case .sizeMismatch(let tensor, let expected, let found):
            return "tensor '\(tensor)' data is \(found) bytes; expected \(expected) from its shape and dtype"
        case .overlappingTensors(let a, let b):
            return "tensors '\(a)' and '\(b)' overlap in the data section; expected each data byte in one tensor"
        case .unindexedBytes(let begin, let end):
            return "data bytes \(begin)..<\(end) belong to no tensor; expected a data section without holes"
        case .nonFinite(let tensor, let index):
            return "tensor '\(tensor)' element \(index) is NaN or infinite; expected finite values"
        case .unknownLayout(let names):
            return "no dense layers found in tensors \(names); expected W1, b1, W2, b2, ... or PyTorch '<name>.weight'/'<name>.bias'"
        case .missingTensor(let name): return "missing tensor '\(name)'; expected a weight and a bias for every layer"
        case .unexpectedTensor(let name):
            return "unexpected tensor '\(name)' for a stack of dense layers; expected only W<n>, b<n> or <name>.weight, <name>.bias"
        case .shapesDoNotChain(let why):
            return "layer shapes do not chain: \(why)"
        case .ambiguousChain(let why): return "layer order is ambiguous: \(why); expected one layer per input width"
        case .badMetadata(let key, let value, let expected):
            return "metadata '\(key)' is '\(value)'; expected \(expected)"
        case .writeFailed(let reason): return "cannot write weights file: \(reason)"
        }
    }
}
