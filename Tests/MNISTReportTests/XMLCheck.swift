/// A strict reader for the XML that `JUnitReport` writes, in plain Swift so
/// that the structural tests run on any machine (no libxml2, no xmllint).
///
/// It accepts the subset of XML 1.0 the report uses, and checks it as a
/// conforming parser would: one root element after an optional declaration;
/// matching start and end tags; quoted, unique attributes; no raw `<` or `&`
/// in text or attributes, only the five predefined entities and character
/// references; only characters XML allows. Attribute values are normalised
/// as XML says (a literal tab, newline or carriage return becomes a space),
/// so a test can see whether the writer escaped them.
struct XMLNode: Equatable {
    var name: String
    var attributes: [String: String]
    var children: [XMLNode]
    /// The character data directly inside the element, unescaped.
    var text: String

    func children(named name: String) -> [XMLNode] { children.filter { $0.name == name } }
}

struct XMLCheck {
    struct Failure: Error, CustomStringConvertible {
        let offset: Int
        let problem: String
        var description: String { "XML not well-formed at character \(offset): \(problem)" }
    }

    private let scalars: [Unicode.Scalar]
    private var position = 0

    static func parse(_ text: String) throws -> XMLNode {
        var reader = XMLCheck(scalars: Array(text.unicodeScalars))
        return try reader.document()
    }

    private init(scalars: [Unicode.Scalar]) { self.scalars = scalars }

    private func fail(_ problem: String) -> Failure { Failure(offset: position, problem: problem) }

    private var current: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }

    private func starts(with text: String) -> Bool {
        let wanted = Array(text.unicodeScalars)
        return position + wanted.count <= scalars.count && Array(scalars[position..<(position + wanted.count)]) == wanted
    }

    private mutating func expect(_ text: String) throws {
        guard starts(with: text) else { throw fail("expected \(text)") }
        position += text.unicodeScalars.count
    }

    private mutating func skipSpace() {
        while let scalar = current, scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" { position += 1 }
    }

    private static func allowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }

    private static func isNameCharacter(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "-_:.".unicodeScalars.contains(scalar)
    }

    private mutating func document() throws -> XMLNode {
        if starts(with: "<?xml") {
            guard let end = (position..<scalars.count).first(where: { starts(at: $0, "?>") }) else { throw fail("unterminated declaration") }
            position = end + 2
        }
        skipSpace()
        let root = try element()
        skipSpace()
        guard position == scalars.count else { throw fail("content after the root element") }
        return root
    }

    private func starts(at index: Int, _ text: String) -> Bool {
        let wanted = Array(text.unicodeScalars)
        return index + wanted.count <= scalars.count && Array(scalars[index..<(index + wanted.count)]) == wanted
    }

    private mutating func name() throws -> String {
        let start = position
        while let scalar = current, Self.isNameCharacter(scalar) { position += 1 }
        guard position > start, !("0"..."9").contains(scalars[start]), scalars[start] != "-" else { throw fail("expected a name") }
        return String(String.UnicodeScalarView(scalars[start..<position]))
    }

    private mutating func element() throws -> XMLNode {
        try expect("<")
        var node = XMLNode(name: try name(), attributes: [:], children: [], text: "")
        while true {
            let hadSpace = current == " " || current == "\t" || current == "\n" || current == "\r"
            skipSpace()
            if starts(with: "/>") { position += 2; return node }
            if starts(with: ">") { position += 1; break }
            guard hadSpace else { throw fail("expected a space before an attribute") }
            let key = try name()
            skipSpace()
            try expect("=")
            skipSpace()
            guard let quote = current, quote == "\"" || quote == "'" else { throw fail("attribute value not quoted") }
            position += 1
            var value = ""
            while let scalar = current, scalar != quote {
                if scalar == "<" { throw fail("raw < in an attribute value") }
                if scalar == "&" { value.unicodeScalars.append(try reference()); continue }
                guard Self.allowed(scalar) else { throw fail("character U+\(String(scalar.value, radix: 16)) not allowed") }
                value.unicodeScalars.append(scalar == "\t" || scalar == "\n" || scalar == "\r" ? " " : scalar)
                position += 1
            }
            try expect(String(quote))
            guard node.attributes.updateValue(value, forKey: key) == nil else { throw fail("attribute \(key) repeated") }
        }
        while true {
            guard let scalar = current else { throw fail("element \(node.name) not closed") }
            if starts(with: "</") {
                position += 2
                guard try name() == node.name else { throw fail("end tag does not match <\(node.name)>") }
                skipSpace()
                try expect(">")
                return node
            }
            if starts(with: "<!") || starts(with: "<?") { throw fail("comments, CDATA and processing instructions are not expected") }
            if scalar == "<" { node.children.append(try element()); continue }
            if scalar == "&" { node.text.unicodeScalars.append(try reference()); continue }
            if starts(with: "]]>") { throw fail("]]> in text") }
            guard Self.allowed(scalar) else { throw fail("character U+\(String(scalar.value, radix: 16)) not allowed") }
            node.text.unicodeScalars.append(scalar)
            position += 1
        }
    }

    /// `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`, `&#N;` or `&#xH;`.
    private mutating func reference() throws -> Unicode.Scalar {
        try expect("&")
        guard let end = scalars[position...].firstIndex(of: ";"), end - position <= 10 else { throw fail("unterminated reference") }
        let body = String(String.UnicodeScalarView(scalars[position..<end]))
        position = end + 1
        switch body {
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "quot": return "\""
        case "apos": return "'"
        default:
            let number = body.hasPrefix("#x") ? UInt32(body.dropFirst(2), radix: 16)
                : body.hasPrefix("#") ? UInt32(body.dropFirst(1)) : nil
            guard let number, let scalar = Unicode.Scalar(number), Self.allowed(scalar) else { throw fail("bad reference &\(body);") }
            return scalar
        }
    }
}
