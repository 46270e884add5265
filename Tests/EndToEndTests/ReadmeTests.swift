import Foundation
import Testing
import TestSupport

/// The README's transcripts are what the built tools print, and the README is
/// Markdown that renders as written.
///
/// The README marks each tested code block with an HTML comment on the line
/// before its opening fence:
///
/// - `<!-- transcript: COMMAND -->`: the block is COMMAND's output;
/// - `<!-- transcript -->`: the block is a session, `$ COMMAND` lines each
///   followed by that command's output.
///
/// Each command runs in `/bin/sh`, its stderr merged into its stdout, with the
/// built executables first on `PATH`, in a fresh folder that holds the
/// repository's `Data` (a symbolic link, so paths read as from the repository
/// root, and nothing is written there) and `four.pgm` (t10k image 4 drawn 3× as
/// dark ink on a white page). A session's commands run one after another in
/// the same folder. Lines starting `time: ` (the run's duration and
/// throughput) are compared up to that word only.
@Suite struct ReadmeTests {
    static let readmePath = Repository.root + "/README.md"

    static func readme() throws -> [String] {
        try String(contentsOfFile: readmePath, encoding: .utf8).components(separatedBy: "\n")
    }

    /// A fenced code block: the line numbers (1-based) of its fences and its content.
    struct CodeBlock {
        var openingLine: Int
        var info: String
        var lines: [String]
        var closed: Bool
    }

    /// The fenced code blocks, as CommonMark finds them: a fence is three or
    /// more backticks or tildes after at most three spaces; a block ends at a
    /// fence of the same character, at least as long, with nothing after it.
    static func codeBlocks(_ lines: [String]) -> [CodeBlock] {
        var blocks: [CodeBlock] = []
        var open: (block: CodeBlock, character: Character, length: Int)?
        for (index, line) in lines.enumerated() {
            let indent = line.prefix { $0 == " " }.count
            let rest = line.dropFirst(indent)
            let fenceCharacter = rest.first
            let length = rest.prefix { $0 == fenceCharacter }.count
            let isFence = indent <= 3 && (fenceCharacter == "`" || fenceCharacter == "~") && length >= 3
            if var current = open {
                let after = rest.dropFirst(length).trimmingCharacters(in: .whitespaces)
                if isFence, fenceCharacter == current.character, length >= current.length, after.isEmpty {
                    current.block.closed = true
                    blocks.append(current.block)
                    open = nil
                } else {
                    current.block.lines.append(line)
                    open = current
                }
            } else if isFence, let fenceCharacter {
                let info = rest.dropFirst(length).trimmingCharacters(in: .whitespaces)
                open = (CodeBlock(openingLine: index + 1, info: info, lines: [], closed: false), fenceCharacter, length)
            }
        }
        if let current = open { blocks.append(current.block) }
        return blocks
    }

    @Test func codeFencesAreBalancedAndEachBlockNamesItsLanguage() throws {
        let blocks = Self.codeBlocks(try Self.readme())
        #expect(!blocks.isEmpty)
        for block in blocks {
            #expect(block.closed, "README.md:\(block.openingLine): this code block is never closed")
            // A closing fence is bare, so an opening one without a language is
            // most likely a fence out of step (a stray line between two blocks
            // turns a closing fence into an opening one).
            #expect(!block.info.isEmpty, "README.md:\(block.openingLine): a code block without a language")
            for heading in block.lines where heading.hasPrefix("## ") {
                Issue.record("README.md:\(block.openingLine): the heading '\(heading)' is inside a code block")
            }
        }
    }

    /// `scripts/check_dependent.sh` builds the block after each marker.
    @Test func eachDependentMarkerIsFollowedByACodeBlock() throws {
        let lines = try Self.readme()
        let openings = Set(Self.codeBlocks(lines).map(\.openingLine))
        var names: [String] = []
        for (index, line) in lines.enumerated() where line.hasPrefix("<!-- dependent:") {
            names.append(line)
            #expect(openings.contains(index + 2), "README.md:\(index + 1): '\(line)' must be followed by a code block")
        }
        #expect(names == ["<!-- dependent: Package.swift -->", "<!-- dependent: main.swift -->"])
    }

    /// One transcript of the README.
    struct Transcript: Sendable, CustomTestStringConvertible {
        /// The marker's line in the README.
        var line: Int
        /// The command whose whole output the block is; nil for a session of `$` lines.
        var command: String?
        var block: [String]

        var testDescription: String { "README.md:\(line) " + (command ?? block.first ?? "") }

        /// The commands to run and the output each should print.
        var steps: [(command: String, output: [String])] {
            if let command { return [(command, block)] }
            var steps: [(command: String, output: [String])] = []
            for text in block {
                if text.hasPrefix("$ ") {
                    steps.append((String(text.dropFirst(2)), []))
                } else if !steps.isEmpty {
                    steps[steps.count - 1].output.append(text)
                }
            }
            return steps
        }
    }

    /// The README's transcripts, and the lines of markers that mark no code block.
    static func parseTranscripts() throws -> (transcripts: [Transcript], misplacedMarkers: [Int]) {
        let lines = try readme()
        let blocks = Dictionary(uniqueKeysWithValues: codeBlocks(lines).map { ($0.openingLine, $0) })
        var transcripts: [Transcript] = []
        var misplaced: [Int] = []
        for (index, line) in lines.enumerated() where line.hasPrefix("<!-- transcript") {
            let marker = line.dropFirst("<!-- transcript".count)
            guard marker.hasSuffix(" -->"), marker.first == ":" || marker.first == " ", let block = blocks[index + 2] else {
                misplaced.append(index + 1)
                continue
            }
            let command = marker.dropLast(" -->".count).drop { $0 == ":" || $0 == " " }
            transcripts.append(Transcript(line: index + 1, command: command.isEmpty ? nil : String(command),
                                          block: block.lines))
        }
        return (transcripts, misplaced)
    }

    static func transcripts() throws -> [Transcript] { try parseTranscripts().transcripts }

    /// The default run, a session with an error, and mnist-predict on a picture.
    @Test func theReadmeHasItsTranscripts() throws {
        let (transcripts, misplaced) = try Self.parseTranscripts()
        #expect(misplaced.isEmpty, """
            README.md lines \(misplaced): a transcript marker must be '<!-- transcript -->' or \
            '<!-- transcript: COMMAND -->', on the line before a code block
            """)
        #expect(transcripts.contains { $0.command == "mnist-eval" }, "the default run")
        #expect(transcripts.contains { $0.block.contains { $0.hasPrefix("$ mnist-predict ") } })
        #expect(transcripts.contains { $0.block.contains { $0.hasPrefix("mnist-eval: error: ") } })
        for transcript in transcripts {
            #expect(!transcript.steps.isEmpty, "\(transcript.testDescription): no command")
        }
    }

    @Test(arguments: try ReadmeTests.transcripts())
    func transcriptIsWhatTheToolsPrint(_ transcript: Transcript) throws {
        let folder = Fixture()
        try FileManager.default.createSymbolicLink(atPath: folder.file("Data"),
                                                   withDestinationPath: Repository.root + "/Data")
        try folder.write("four.pgm", MNISTPredictCommandTests.drawnDigit(4))
        for step in transcript.steps {
            let printed = try Self.shell(step.command, in: folder.path)
            let expected = step.output.map(Self.masked)
            let actual = printed.split(separator: "\n", omittingEmptySubsequences: false).map { Self.masked(String($0)) }
            // The output's final newline leaves one empty piece.
            let lines = actual.last == "" ? Array(actual.dropLast()) : actual
            #expect(lines == expected, """
                \(transcript.testDescription): `\(step.command)` printed something else; \
                \(Self.firstDifference(expected, lines))
                --- it printed:
                \(printed)
                """)
        }
    }

    static func masked(_ line: String) -> String {
        line.hasPrefix("time: ") ? "time: …" : line
    }

    static func firstDifference(_ expected: [String], _ actual: [String]) -> String {
        for index in 0..<max(expected.count, actual.count) {
            let e = index < expected.count ? expected[index] : "(nothing)"
            let a = index < actual.count ? actual[index] : "(nothing)"
            if e != a { return "output line \(index + 1): README has '\(e)', the tool '\(a)'" }
        }
        return "no line differs"
    }

    /// Runs `command` with `/bin/sh` in `directory`, the package's executables
    /// first on PATH; returns its stdout and stderr, interleaved as written.
    static func shell(_ command: String, in directory: String) throws -> String {
        let tools = URL(fileURLWithPath: CommandRunner.executable("mnist-eval")).deletingLastPathComponent().path
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = tools + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "exec 2>&1\n" + command]
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = environment
        let out = Pipe()
        process.standardOutput = out
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
