import MNISTData
import MNISTNetwork
import MNISTPlumbing

/// An images file opened, and its inflating started, while the command line
/// is still being parsed.
///
/// Parsing mnist-eval's options takes about 2 ms (swift-argument-parser's
/// first run-time type lookups), and inflating the file is the rest of a run's
/// critical path; when the command line's shape already says which file the
/// images are (`imagesPath(in:default:)`), the reader need not wait for the
/// parse. An `Evaluator` whose `prefetch` names its images path takes it over;
/// one that is never used stops its reader when released.
///
/// The chunks are sized for the default batch size and thread count; any
/// other size gives the same results (the evaluator is tested for every chunk
/// size), only the overlap differs.
public final class ImagesPrefetch: @unchecked Sendable {
    public let path: String
    private var started: (reader: IDXImageReader, pipeline: ChunkPipeline)?

    /// Opens `path` and starts inflating it, or returns nil when it cannot be
    /// opened as images: the evaluation then opens it again and reports why.
    public init?(path: String) {
        guard let reader = try? IDXImageReader(path: path) else { return nil }
        self.path = path
        let chunk = Evaluator.defaultChunkImages(images: reader.count, batchSize: BatchClassifier.defaultBatchSize,
                                                 threads: Threads.availableCores)
        started = (reader, ChunkPipeline(reader: reader, slotCount: Evaluator.slotCount, chunkImages: chunk))
    }

    deinit { started?.pipeline.finish() }

    /// The reader and its running pipeline, once, when they are for `path`;
    /// the caller then owns the pipeline (and must `finish` it).
    func take(for path: String) -> (reader: IDXImageReader, pipeline: ChunkPipeline)? {
        guard path == self.path, let taken = started else { return nil }
        started = nil
        return taken
    }

    /// The images path a command line names for certain before its options are
    /// parsed: `default` when there are no arguments, the first argument when
    /// it does not start with `-` (every option does, and the images path is
    /// the only positional argument); otherwise nil.
    public static func imagesPath(in arguments: [String], default defaultPath: String) -> String? {
        guard let first = arguments.dropFirst().first else { return defaultPath }
        return first.hasPrefix("-") ? nil : first
    }
}
