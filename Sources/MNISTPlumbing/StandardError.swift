/// Text straight to file descriptor 2, for the command-line tools' errors and
/// live progress lines: unbuffered, so it shows at once, and without
/// Foundation's `FileHandle`.
public enum StandardError {
    /// Writes `text` as is; a failure to write to stderr is ignored, since
    /// there is nowhere left to report it.
    public static func write(_ text: String) {
        var text = text
        text.withUTF8 { bytes in try? FileDescriptor.standardError.write(UnsafeRawBufferPointer(bytes)) }
    }

    /// `<tool>: error: <message>`, the form of every tool's errors (usage
    /// errors included), without the newline.
    public static func errorLine(_ message: String, tool: String) -> String {
        "\(tool): error: \(message)"
    }

    /// Writes `<tool>: error: <message>` and a newline.
    public static func error(_ message: String, tool: String) {
        write(errorLine(message, tool: tool) + "\n")
    }

    /// Writes `<tool>: note: <message>` and a newline: something the user
    /// should know that is not an error; the run goes on.
    public static func note(_ message: String, tool: String) {
        write("\(tool): note: \(message)\n")
    }
}
