import Glibc

/// An `errno` value: what a failed system call left, and the one place where it
/// becomes words (`strerror`).
///
/// Every layer's error type stores the code (or this text) and prints it after
/// its own `<path>: cannot open: `, so `No such file or directory` is written
/// the same way whichever file could not be read. Modelled on swift-system's
/// `Errno`.
public struct Errno: Error, Equatable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32

    public init(_ rawValue: Int32) { self.rawValue = rawValue }

    /// The calling thread's `errno`, read at once (the next libc call may change it).
    public static var current: Errno { Errno(errno) }

    /// `strerror`'s text in the C locale, e.g. `No such file or directory`;
    /// `errno 1234` for a code it does not know.
    public var description: String {
        guard let text = strerror(rawValue) else { return "errno \(rawValue)" }
        return String(cString: text)
    }
}
