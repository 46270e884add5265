#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A parsed safetensors file: an 8-byte little-endian header length, a JSON
/// header naming each tensor's dtype, shape and `data_offsets` (relative to the
/// data section), then the raw little-endian data.
///
/// Offsets are taken from the header, never from tensor order. The data section
/// must be covered exactly by the tensors (no overlaps, no holes), as the
/// format's specification requires.
public struct SafeTensors: Sendable {
    public enum DType: String, Sendable {
        case f32 = "F32", f16 = "F16", bf16 = "BF16", f64 = "F64"
        var byteWidth: Int {
            switch self {
            case .f16, .bf16: return 2
            case .f32: return 4
            case .f64: return 8
            }
        }
    }

    public struct Entry: Sendable, Equatable {
        public let dtype: String
        public let shape: [Int]
        public let begin: Int
        public let end: Int
    }

    public let path: String
    public let entries: [String: Entry]
    public let metadata: [String: String]
    /// The bytes after the header (a slice of the file's bytes, not a copy).
    let data: ArraySlice<UInt8>
    /// File offset of the data section, for error messages.
    let dataOffset: Int

    /// File offset of the JSON header, which declares every tensor.
    static let headerOffset = 8

    /// The JSON header is limited to 100 MB, as in the reference implementation.
    static let headerLimit: UInt64 = 100_000_000

    public init(path: String) throws(WeightsError) {
        try self.init(bytes: FileBytes.read(path), path: path)
    }

    public init(bytes: [UInt8], path: String) throws(WeightsError) {
        self.path = path
        guard bytes.count >= 8 else { throw WeightsError(.fileTooSmall(size: bytes.count), path: path, offset: 0) }
        // The format's specification: the header MUST begin with '{'.
        if bytes.count > 8 && bytes[8] != UInt8(ascii: "{") {
            throw WeightsError(.notSafetensors(firstBytes: Array(bytes.prefix(8))), path: path, offset: 0)
        }
        var headerLength: UInt64 = 0
        for i in (0..<8).reversed() { headerLength = headerLength << 8 | UInt64(bytes[i]) }
        guard headerLength <= UInt64(bytes.count - 8), headerLength <= Self.headerLimit else {
            throw WeightsError(.headerLengthBeyondFile(headerLength: headerLength, fileSize: bytes.count), path: path, offset: 0)
        }
        let headerEnd = 8 + Int(headerLength)
        let header = try Self.decodeHeader(Array(bytes[8..<headerEnd]), path: path)
        self.entries = header.entries
        self.metadata = header.metadata
        self.data = bytes[headerEnd...]
        self.dataOffset = headerEnd
        do { try validateLayout() } catch { throw error.located(at: Self.headerOffset) }
    }

    /// Checks every tensor's dtype, size and range, and that they tile the data section.
    private func validateLayout() throws(WeightsError) {
        for (name, entry) in entries {
            guard let dtype = DType(rawValue: entry.dtype) else {
                throw WeightsError(.unknownDtype(tensor: name, dtype: entry.dtype), path: path)
            }
            guard entry.begin >= 0, entry.begin <= entry.end, entry.end <= data.count else {
                throw WeightsError(
                    .offsetsOutOfRange(tensor: name, begin: entry.begin, end: entry.end, dataSize: data.count),
                    path: path)
            }
            var count = 1
            for dimension in entry.shape {
                let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
                guard dimension >= 0, !overflow else { throw WeightsError(.badShape(tensor: name, shape: entry.shape), path: path) }
                count = product
            }
            let (expected, overflow) = count.multipliedReportingOverflow(by: dtype.byteWidth)
            guard !overflow, expected == entry.end - entry.begin else {
                throw WeightsError(
                    .sizeMismatch(tensor: name, expectedBytes: overflow ? Int.max : expected, foundBytes: entry.end - entry.begin),
                    path: path, offset: dataOffset + entry.begin)
            }
        }
        let ordered = entries.sorted { ($0.value.begin, $0.value.end, $0.key) < ($1.value.begin, $1.value.end, $1.key) }
        var covered = 0
        var previousName: String?
        for (name, entry) in ordered where entry.end > entry.begin {
            if entry.begin < covered, let previousName {
                throw WeightsError(.overlappingTensors(previousName, name), path: path, offset: dataOffset + entry.begin)
            }
            if entry.begin > covered {
                throw WeightsError(.unindexedBytes(begin: covered, end: entry.begin), path: path, offset: dataOffset + covered)
            }
            covered = entry.end
            previousName = name
        }
        if covered < data.count {
            throw WeightsError(.unindexedBytes(begin: covered, end: data.count), path: path, offset: dataOffset + covered)
        }
    }

    /// The tensor's elements converted to Float32 (once, at load), checked finite.
    public func floats(_ name: String) throws(WeightsError) -> [Float] {
        guard let entry = entries[name] else { throw WeightsError(.missingTensor(name), path: path) }
        let dtype = DType(rawValue: entry.dtype)!  // validated at init
        let count = (entry.end - entry.begin) / dtype.byteWidth
        let values = [Float](unsafeUninitializedCapacity: count) { values, initialized in
            data.withUnsafeBytes { raw in
                let base = raw.baseAddress! + entry.begin
                switch dtype {
                case .f32:
                    #if _endian(little)
                    // The file's little-endian IEEE floats are the host's own: one copy.
                    UnsafeMutableRawPointer(values.baseAddress!).copyMemory(from: base, byteCount: 4 * count)
                    #else
                    for i in 0..<count {
                        values[i] = Float(bitPattern: UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
                    }
                    #endif
                case .f64:
                    for i in 0..<count {
                        values[i] = Float(Double(bitPattern: UInt64(littleEndian: base.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))))
                    }
                case .f16:
                    for i in 0..<count {
                        values[i] = Float(Float16(bitPattern: UInt16(littleEndian: base.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))))
                    }
                case .bf16:
                    for i in 0..<count {
                        let bits = UInt16(littleEndian: base.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
                        values[i] = Float(bitPattern: UInt32(bits) << 16)
                    }
                }
            }
            initialized = count
        }
        if let bad = values.firstIndex(where: { !$0.isFinite }) {
            throw WeightsError(.nonFinite(tensor: name, index: bad), path: path,
                               offset: dataOffset + entry.begin + bad * dtype.byteWidth)
        }
        return values
    }
}
