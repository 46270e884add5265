import Glibc
import MNISTData

extension PredictionsCSV {
    /// Reads a predictions CSV back, in step with the images of a new run:
    /// the baseline of `mnist-eval --baseline`.
    ///
    /// Rows are read as the chunks of images arrive, through one 64 KiB
    /// buffer, so a baseline of a million rows needs no more memory than one
    /// of ten. Each row is checked against the run: its index must be the
    /// next image's and its label the image's label, so a baseline written
    /// over other images (another count, another order, another set) is
    /// refused at the first row that disagrees. The file may be gzip-compressed
    /// (recognised by content). Lines may end with `\r\n`; a UTF-8 byte order
    /// mark before the header is skipped.
    ///
    /// Not `Sendable`: used by one thread at a time.
    public final class Reader {
        public let path: String
        /// The images the run has (and the rows the file must have).
        public let images: Int

        private let stream: DecompressedStream
        private let buffer: UnsafeMutableRawBufferPointer
        private var start = 0, end = 0
        private var streamEnded = false
        /// The 1-based number of the last line returned by `nextLine`.
        private var line = 0
        private var rows = 0

        static let capacity = 1 << 16
        /// At most this many bytes of a bad line are quoted in an error.
        static let quotedBytes = 60

        /// Opens `path` and checks its header.
        /// - Throws: `BaselineError` (cannot open, empty, not a predictions
        ///   CSV); `DataError` for a corrupt gzip stream.
        public init(path: String, images: Int) throws {
            self.path = path
            self.images = images
            do {
                stream = try DecompressedStream(path: path)
            } catch let error as DataError {
                switch error.kind {
                case .cannotOpen(let code), .readFailed(let code): throw BaselineError(.cannotOpen(errno: code), path: path)
                case .isDirectory: throw BaselineError(.isDirectory, path: path)
                case .emptyFile: throw BaselineError(.empty, path: path)
                default: throw error
                }
            }
            buffer = .allocate(byteCount: Self.capacity, alignment: 16)
            // Every property is set: from here a throw runs `deinit`, which frees the buffer.
            guard var header = try nextLine() else { throw BaselineError(.empty, path: path) }
            if header.starts(with: [0xEF, 0xBB, 0xBF]) { header = UnsafeRawBufferPointer(rebasing: header.dropFirst(3)) }
            guard header.elementsEqual(PredictionsCSV.header.utf8.dropLast()) else {
                throw BaselineError(.notPredictionsCSV(found: Self.quoted(header)), path: path, line: 1)
            }
        }

        deinit { buffer.deallocate() }

        /// Reads the rows of images `first ..< first + labels.count`, checks
        /// each against the run's labels, and writes their predicted classes.
        /// - Throws: `BaselineError` naming the first row that disagrees.
        public func read(first: Int, labels: UnsafeBufferPointer<UInt8>, classCount: Int,
                         into predictions: UnsafeMutableBufferPointer<UInt8>) throws {
            precondition(first == rows && predictions.count >= labels.count, "rows are read in order")
            for offset in 0..<labels.count {
                let index = first + offset
                guard let bytes = try nextLine() else {
                    throw BaselineError(.tooFewRows(rows: rows, images: images), path: path, line: line + 1)
                }
                guard let row = Self.parse(bytes) else {
                    throw BaselineError(.malformedRow(found: Self.quoted(bytes)), path: path, line: line)
                }
                guard row.index == index else {
                    throw BaselineError(.wrongIndex(expected: index, found: row.index), path: path, line: line)
                }
                guard row.label == Int(labels[offset]) else {
                    throw BaselineError(.wrongLabel(index: index, expected: labels[offset], found: row.label.map(UInt8.init)),
                                        path: path, line: line)
                }
                guard row.predicted < classCount else {
                    throw BaselineError(.classOutOfRange(found: row.predicted, classCount: classCount), path: path, line: line)
                }
                predictions[offset] = UInt8(row.predicted)
                rows += 1
            }
        }

        /// After the last image: the file must end here (empty lines aside),
        /// and a gzip file's trailer must check.
        public func finish() throws {
            precondition(rows == images, "finish after every row")
            while let bytes = try nextLine() {
                if !bytes.isEmpty { throw BaselineError(.tooManyRows(images: images), path: path, line: line) }
            }
        }

        /// The next line without its `\n` (or `\r\n`), valid until the next
        /// call; `nil` at the end of the file. A line longer than the buffer
        /// is returned cut (it is never a valid row).
        private func nextLine() throws -> UnsafeRawBufferPointer? {
            let base = buffer.baseAddress!
            while true {
                if let newline = memchr(base + start, 0x0A, end - start) {
                    let lineEnd = base.distance(to: newline)
                    defer { start = lineEnd + 1 }
                    return lineBytes(start, lineEnd)
                }
                if streamEnded || end - start == buffer.count {
                    guard start < end else { return nil }
                    defer { start = end }
                    return lineBytes(start, end)
                }
                if start > 0 {
                    memmove(base, base + start, end - start)
                    end -= start
                    start = 0
                }
                let count = try stream.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[end...]))
                if count == 0 { streamEnded = true }
                end += count
            }
        }

        private func lineBytes(_ from: Int, _ to: Int) -> UnsafeRawBufferPointer {
            line += 1
            let stop = to > from && buffer[to - 1] == 0x0D ? to - 1 : to
            return UnsafeRawBufferPointer(rebasing: buffer[from..<stop])
        }

        /// `index,label,predicted,confidence` with decimal integers (label
        /// possibly empty) and a non-empty confidence, or `nil`.
        static func parse(_ bytes: UnsafeRawBufferPointer) -> (index: Int, label: Int?, predicted: Int)? {
            var position = 0
            func number() -> Int? {
                var value = 0, digits = 0
                while position < bytes.count, (0x30...0x39).contains(bytes[position]), digits < 18 {
                    value = value * 10 + Int(bytes[position] - 0x30)
                    position += 1
                    digits += 1
                }
                return digits > 0 ? value : nil
            }
            func comma() -> Bool {
                guard position < bytes.count, bytes[position] == UInt8(ascii: ",") else { return false }
                position += 1
                return true
            }
            guard let index = number(), comma() else { return nil }
            let label = number()
            guard comma(), let predicted = number(), comma(), position < bytes.count,
                  !bytes[position...].contains(UInt8(ascii: ",")) else { return nil }
            return (index, label, predicted)
        }

        /// A line for an error message: in double quotes, printable ASCII as
        /// it is (quotes and backslashes escaped), other bytes as `\xNN`, cut
        /// after `quotedBytes` bytes with `...`.
        static func quoted(_ bytes: UnsafeRawBufferPointer) -> String {
            var text = "\""
            for byte in bytes.prefix(quotedBytes) {
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): text += "\\" + String(UnicodeScalar(byte))
                case 0x20..<0x7F: text.unicodeScalars.append(UnicodeScalar(byte))
                default: text += "\\x" + (byte < 16 ? "0" : "") + String(byte, radix: 16)
                }
            }
            return text + (bytes.count > quotedBytes ? "...\"" : "\"")
        }
    }
}
