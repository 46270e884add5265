import ArgumentParser
import Glibc
import MNISTPlumbing

/// What the three tools share around swift-argument-parser: one error style
/// for usage errors and file errors alike, and `TOOL help` as a synonym of
/// `--help`.
extension ParsableCommand {
    /// The tool's name, as its errors begin.
    static var toolName: String { configuration.commandName ?? "\(Self.self)" }

    /// Parses `arguments` (default: the process's), runs the command, and exits.
    ///
    /// Usage errors are printed as `<tool>: error: <what is wrong>` followed by
    /// the usage line, exit 64, in the same form as the tools' file errors
    /// (swift-argument-parser's own form is `Error: ...`). `--help` and
    /// `--version` print as usual. A command's `run` reports its own errors and
    /// throws `ExitCode`.
    public static func mainWithToolErrors(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> Never {
        var arguments = arguments
        // `mnist-eval help`: the help, unless a file is called that.
        if arguments == ["help"] && !FileDescriptor.isFile("help") { arguments = ["--help"] }
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            Glibc.exit(0)
        } catch let code as ExitCode {
            Glibc.exit(code.rawValue)
        } catch {
            let status = exitCode(for: error)
            if status == .success { exit(withError: error) }  // --help, --version
            var text = fullMessage(for: error)
            if text.hasPrefix("Error: ") { text = StandardError.errorLine(String(text.dropFirst("Error: ".count)), tool: toolName) }
            StandardError.write(text.hasSuffix("\n") ? text : text + "\n")
            Glibc.exit(status.rawValue)
        }
    }

    /// `--threads` capped at the `cores` this process may use (`Threads.capped`,
    /// its note on stderr in this tool's name).
    public static func threadsWithinCores(_ requested: Int, cores: Int = Threads.availableCores) -> Int {
        Threads.capped(requested, cores: cores, tool: toolName)
    }

    /// Writes `<tool>: error: <message>` to stderr.
    public static func reportError(_ message: String) {
        StandardError.error(message, tool: toolName)
    }

    /// Writes `<tool>: note: <message>` to stderr: the run goes on.
    public static func reportNote(_ message: String) {
        StandardError.note(message, tool: toolName)
    }
}
