// Internal: the clients, which import Foundation, then never load libxml2's system ICU headers.
internal import CLibXML2
import Synchronization

/// XML Schema validation through libxml2 (Debian's libxml2-dev, in the
/// machine image), so that the JUnit XML is checked against the schema Jenkins
/// and GitLab read on every machine the tests run on, not only where xmllint
/// happens to be installed.
public enum XMLSchema {
    public struct Unreadable: Error, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "\(path): the schema cannot be read: \(reason)" }
    }

    /// The JUnit schema (`Tests/Schemas/junit-10.xsd`, Jenkins' xUnit plugin's).
    public static let junit: String = {
        var path = #filePath.split(separator: "/", omittingEmptySubsequences: false).dropLast(2).joined(separator: "/")
        path += "/Schemas/junit-10.xsd"
        return path
    }()

    /// `nil` when `xml` is valid against the XSD at `schemaPath`, else the
    /// first error libxml2 found (`line N: message`). libxml2's global error
    /// handler is set for the call, so calls are serialised.
    public static func firstError(in xml: String, schemaPath: String = junit) throws -> String? {
        try lock.withLock { _ in try validate(xml, schemaPath) }
    }

    private static func validate(_ xml: String, _ schemaPath: String) throws -> String? {
        var error = [CChar](repeating: 0, count: 512)
        let bytes = Array(xml.utf8)
        let result = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                cxml_validate(schemaPath, chars.baseAddress, Int32(chars.count), &error)
            }
        }
        let message = String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if result < 0 { throw Unreadable(path: schemaPath, reason: message.isEmpty ? "not a schema" : message) }
        return result == 0 ? nil : (message.isEmpty ? "not valid" : message)
    }

    private static let lock = Mutex(())
}
