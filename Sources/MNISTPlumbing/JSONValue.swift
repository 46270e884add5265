/// A JSON document with object keys kept in the order they were written.
///
/// `JSONSerialization` sorts or hashes keys differently between platforms and
/// releases, and formats doubles its own way; CI jobs diff and parse this
/// output, so the report builds its JSON from this small value type instead
/// and renders it with `rendered()`, whose output depends only on the value.
public enum JSONValue {
    case null
    case bool(Bool)
    case int(Int)
    /// Written with at most six decimals (`NumberFormat.json`); NaN and
    /// infinity are written as `null`, since JSON cannot represent them.
    case number(Double)
    case string(String)
    case array([JSONValue])
    /// Keys in output order.
    case object([(String, JSONValue)])

    /// `value` as a number, or `null` when it is absent.
    public static func number(_ value: Double?) -> JSONValue {
        value.map { .number($0) } ?? .null
    }

    /// `value` as a string, or `null` when it is absent.
    public static func string(_ value: String?) -> JSONValue {
        value.map { .string($0) } ?? .null
    }

    /// An array of integers.
    public static func ints(_ values: [Int]) -> JSONValue {
        .array(values.map { .int($0) })
    }
}

extension JSONValue {
    /// The document, indented by two spaces per level, ending without a newline.
    ///
    /// An array or object whose members are all scalars is written on one
    /// line (`[784, 100, 10]`, one confusion row, one per-class entry), which
    /// keeps a 10×10 matrix readable for a person skimming a CI log.
    public func rendered() -> String {
        var out = ""
        write(to: &out, indent: 0)
        return out
    }

    private var isScalar: Bool {
        switch self {
        case .array, .object: false
        default: true
        }
    }

    private func write(to out: inout String, indent: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .int(let value): out += String(value)
        case .number(let value): out += NumberFormat.json(value) ?? "null"
        case .string(let value): JSONValue.writeEscaped(value, to: &out)
        case .array(let items):
            writeContainer(items.map { (nil, $0) }, open: "[", close: "]", to: &out, indent: indent)
        case .object(let members):
            writeContainer(members.map { ($0.0, $0.1) }, open: "{", close: "}", to: &out, indent: indent)
        }
    }

    /// Members of an array (no keys) or an object (keys), inline when all
    /// are scalars, one per line otherwise.
    private func writeContainer(
        _ members: [(String?, JSONValue)], open: String, close: String, to out: inout String, indent: Int
    ) {
        guard !members.isEmpty else { out += open + close; return }
        let inline = members.allSatisfy { $0.1.isScalar }
        let pad = String(repeating: " ", count: indent + 2)
        out += open
        for (index, (key, value)) in members.enumerated() {
            if index > 0 { out += "," }
            out += inline ? (index > 0 ? " " : "") : "\n" + pad
            if let key {
                JSONValue.writeEscaped(key, to: &out)
                out += ": "
            }
            value.write(to: &out, indent: indent + 2)
        }
        if !inline { out += "\n" + String(repeating: " ", count: indent) }
        out += close
    }

    /// `text` as a JSON string literal: quotes, backslashes and all control
    /// characters below U+0020 escaped; everything else written as UTF-8.
    static func writeEscaped(_ text: String, to out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case let control where control.value < 0x20:
                let hex = String(control.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
