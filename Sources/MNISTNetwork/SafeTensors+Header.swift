#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension SafeTensors {
    struct Header {
        var entries: [String: Entry] = [:]
        var metadata: [String: String] = [:]
    }

    /// Decodes the JSON header: `{"name": {"dtype", "shape", "data_offsets"}, "__metadata__": {str: str}}`.
    static func decodeHeader(_ bytes: [UInt8], path: String) throws(WeightsError) -> Header {
        do {
            return try JSONDecoder().decode(HeaderCoding.self, from: Data(bytes)).header
        } catch let error as DecodingError {
            throw WeightsError(.invalidHeader(describe(error)), path: path, offset: headerOffset)
        } catch {
            throw WeightsError(.invalidHeader("\(error)"), path: path, offset: headerOffset)
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let context), .typeMismatch(_, let context),
             .valueNotFound(_, let context), .keyNotFound(_, let context):
            let where_ = context.codingPath.map(\.stringValue).joined(separator: ".")
            let text = context.underlyingError.map { "\($0)" } ?? context.debugDescription
            return where_.isEmpty ? text : "\(where_): \(text)"
        @unknown default:
            return "\(error)"
        }
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    private struct EntryCoding: Decodable {
        let dtype: String
        let shape: [Int]
        let data_offsets: [Int]
    }

    private struct HeaderCoding: Decodable {
        var header = Header()

        init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: AnyKey.self)
            for key in container.allKeys {
                if key.stringValue == "__metadata__" {
                    header.metadata = try container.decode([String: String].self, forKey: key)
                    continue
                }
                let entry = try container.decode(EntryCoding.self, forKey: key)
                guard entry.data_offsets.count == 2 else {
                    throw DecodingError.dataCorruptedError(
                        forKey: key, in: container, debugDescription: "data_offsets must be [begin, end]")
                }
                header.entries[key.stringValue] = Entry(
                    dtype: entry.dtype, shape: entry.shape,
                    begin: entry.data_offsets[0], end: entry.data_offsets[1])
            }
        }
    }

    /// Serialises F32 tensors (in the given order) and string metadata.
    /// Keys are written in a fixed order so the same network gives the same bytes.
    static func encode(tensors: [(name: String, shape: [Int], values: [Float])], metadata: [String: String]) -> [UInt8] {
        var json = "{"
        if !metadata.isEmpty {
            let pairs = metadata.keys.sorted().map { "\(quoted($0)):\(quoted(metadata[$0]!))" }
            json += "\"__metadata__\":{" + pairs.joined(separator: ",") + "},"
        }
        var offset = 0
        var parts: [String] = []
        for tensor in tensors {
            let end = offset + 4 * tensor.values.count
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            parts.append("\(quoted(tensor.name)):{\"dtype\":\"F32\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        json += parts.joined(separator: ",") + "}"
        var header = Array(json.utf8)
        while (8 + header.count) % 8 != 0 { header.append(0x20) }  // pad so data is 8-byte aligned
        var bytes: [UInt8] = []
        bytes.reserveCapacity(8 + header.count + offset)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: header)
        for tensor in tensors {
            for value in tensor.values {
                withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
            }
        }
        return bytes
    }

    /// A JSON string literal, escaped by Foundation's encoder.
    private static func quoted(_ text: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        return String(decoding: (try? encoder.encode(text)) ?? Data("\"\"".utf8), as: UTF8.self)
    }
}
