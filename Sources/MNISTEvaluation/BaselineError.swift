import MNISTPlumbing

/// A baseline predictions CSV that cannot be read, or that does not belong
/// to the images being evaluated.
///
/// The message names the file and the first line that disagrees, in the
/// project's form `<path>: line <n>: <problem>; expected <x>, found <y>`, e.g.
/// `prev.csv: line 12: image 10 has another label; expected 5, found 3`.
/// Exit 66 when the file cannot be opened or read, 65 otherwise.
public struct BaselineError: FileError, Equatable, Sendable, CustomStringConvertible {
    public enum Problem: Equatable, Sendable {
        /// `open(2)` or `read(2)` failed; the value is `errno`.
        case cannotOpen(errno: Int32)
        case isDirectory
        case empty
        /// The first line is not `index,label,predicted,confidence`.
        case notPredictionsCSV(found: String)
        /// A row that is not four fields of the expected kinds.
        case malformedRow(found: String)
        /// A row whose index is not the next image's.
        case wrongIndex(expected: Int, found: Int)
        /// A row whose label differs from the images' label (`nil`: empty).
        case wrongLabel(index: Int, expected: UInt8, found: UInt8?)
        /// A predicted class the network cannot output.
        case classOutOfRange(found: Int, classCount: Int)
        /// Fewer rows than images.
        case tooFewRows(rows: Int, images: Int)
        /// More rows than images.
        case tooManyRows(images: Int)
    }

    public let path: String
    /// The 1-based line of the file (the header is line 1, image i's row line
    /// i + 2); `nil` for problems with the file as a whole.
    public let line: Int?
    public let problem: Problem

    public init(_ problem: Problem, path: String, line: Int? = nil) {
        self.problem = problem
        self.path = path
        self.line = line
    }

    /// The file could not be opened or read (exit 66, like other unreadable inputs).
    public var isUnreadableFile: Bool {
        switch problem {
        case .cannotOpen, .isDirectory: true
        default: false
        }
    }

    public var description: String {
        var text = path + ": "
        if let line { text += "line \(line): " }
        let (problem, expected, found) = parts
        text += problem
        if let expected { text += "; expected \(expected)" }
        if let found { text += ", found \(found)" }
        return text
    }

    private static let expectedFile = "a predictions CSV written by mnist-eval --predictions"

    private var parts: (String, String?, String?) {
        switch problem {
        case .cannotOpen(let code):
            return ("cannot open: \(Errno(code))", nil, nil)
        case .isDirectory:
            return ("is a directory", Self.expectedFile, nil)
        case .empty:
            return ("empty file", Self.expectedFile, "0 bytes")
        case .notPredictionsCSV(let found):
            return ("not a predictions CSV", "the header \(PredictionsCSV.header.dropLast())", found)
        case .malformedRow(let found):
            return ("not a predictions row", "index,label,predicted,confidence", found)
        case .wrongIndex(let expected, let found):
            return ("rows out of step with the images", "index \(expected)", "\(found)")
        case .wrongLabel(let index, let expected, let found):
            return ("image \(index) has another label than in the images' labels file",
                    "\(expected)", found.map { "\($0)" } ?? "none (written without labels)")
        case .classOutOfRange(let found, let classCount):
            return ("predicted class out of range", "0...\(classCount - 1)", "\(found)")
        case .tooFewRows(let rows, let images):
            return ("the baseline ends after \(rows) image\(rows == 1 ? "" : "s")",
                    "a row for each of the \(images) images", "end of file")
        case .tooManyRows(let images):
            return ("more rows than images", "end of file after \(images) row\(images == 1 ? "" : "s")", "another row")
        }
    }
}
