import Foundation

/// A fresh folder under the system's temporary directory for one test,
/// removed when dropped; or a named folder, created if needed and kept (for
/// scripts that replay the files).
public final class TemporaryDirectory: Sendable {
    public let path: String
    private let keep: Bool

    public init(keepingIn directory: String? = nil) {
        path = directory ?? NSTemporaryDirectory() + "mnist-tests-" + UUID().uuidString
        keep = directory != nil
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            preconditionFailure("cannot create the test folder \(path): \(error)")
        }
    }

    deinit { if !keep { try? FileManager.default.removeItem(atPath: path) } }

    /// The path of `name` inside the folder.
    public func file(_ name: String) -> String { path + "/" + name }

    /// Writes `bytes` to `name` inside the folder and returns its path.
    @discardableResult
    public func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        try Data(bytes).write(to: URL(fileURLWithPath: file(name)))
        return file(name)
    }

    /// The bytes of `name` inside the folder.
    public func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: file(name))))
    }
}
