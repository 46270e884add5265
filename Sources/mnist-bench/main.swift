// mnist-bench: in-process timings for the performance goals (scripts/bench.sh
// runs it next to the numpy/onnxruntime references and compares).
//
// (a) forward only: N images already in memory as uint8 -> predicted classes
//     through BatchClassifier (default batch size; all cores and 1 thread);
// (b) read + inflate only: IDXImageReader over the (gzip) images file into a
//     reusable buffer, the floor for mnist-eval end to end.
//
// Output is one `key field=value ...` line per figure, for scripts to parse.
// No timing is asserted here: this is a measuring tool, not a test.

import Dispatch
import Foundation
import MNISTData
import MNISTNetwork
import MNISTPlumbing

struct Options {
    var images = "Data/t10k-images-idx3-ubyte.gz"
    var labels: String?
    var weights = "Data/mnist-784-100-10.safetensors"
    var runs = 15
    var threads = Threads.availableCores
    var batchSize = BatchClassifier.defaultBatchSize
    var predictionsPath: String?
    var forward = true
    var read = true
    var singleThread = true
    /// Peak float32 FMA GFLOP/s of one core (AVX2: 2 × 8-wide FMA per cycle at ~3.5 GHz).
    var peakPerCore = 115.0
    /// Peak on all cores (the machine docs' figure for 2 cores).
    var peakAllCores = 225.0

    static let usage = """
        usage: mnist-bench [options]

        In-process timings (medians over --runs) for scripts/bench.sh:
          forward_ms      uint8 images in memory -> predicted classes (BatchClassifier)
          read_inflate_ms IDXImageReader over the images file into a reusable buffer

        options:
          --images PATH       IDX images, gzip or raw (default: Data/t10k-images-idx3-ubyte.gz)
          --labels PATH       labels (default: found next to the images)
          --weights PATH      safetensors weights (default: Data/mnist-784-100-10.safetensors)
          --runs N            timed runs per figure, after one warm-up (default: 15)
          --threads N         threads for the all-cores forward figure (default: all cores)
          --batch-size N      images per batch (default: BatchClassifier.defaultBatchSize)
          --predictions FILE  write one predicted class per line (image order)
          --no-forward        skip the forward timings
          --no-read           skip the read+inflate timing
          --no-single-thread  skip the 1-thread forward timing
          --peak-core GFLOPS  per-core float32 peak for the fraction-of-peak figure (default: 115)
          --peak-all GFLOPS   all-cores peak (default: 225)
          -h, --help          this text

        GFLOP/s are "effective (dense-equivalent)": the dense 784-...-10 forward's
        2·Σ(in·out) FLOPs per image divided by the time, although the first layer
        only visits non-zero pixels. `actual_gflops` counts the FLOPs done.
        """

    static func parse(_ arguments: [String]) -> Options {
        var options = Options()
        var rest = arguments[...]
        func value(_ name: String) -> String {
            guard let next = rest.popFirst() else { fail("\(name) needs a value") }
            return next
        }
        func positive(_ name: String) -> Int {
            let text = value(name)
            guard let number = Int(text), number > 0 else { fail("\(name): expected a positive integer, got '\(text)'") }
            return number
        }
        func gflops(_ name: String) -> Double {
            let text = value(name)
            guard let number = Double(text), number > 0 else { fail("\(name): expected a positive number, got '\(text)'") }
            return number
        }
        while let argument = rest.popFirst() {
            switch argument {
            case "-h", "--help": print(usage); exit(0)
            case "--images": options.images = value(argument)
            case "--labels": options.labels = value(argument)
            case "--weights": options.weights = value(argument)
            case "--runs": options.runs = positive(argument)
            case "--threads": options.threads = positive(argument)
            case "--batch-size": options.batchSize = positive(argument)
            case "--predictions": options.predictionsPath = value(argument)
            case "--no-forward": options.forward = false
            case "--no-read": options.read = false
            case "--no-single-thread": options.singleThread = false
            case "--peak-core": options.peakPerCore = gflops(argument)
            case "--peak-all": options.peakAllCores = gflops(argument)
            default: fail("unknown argument '\(argument)' (see --help)")
            }
        }
        return options
    }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("mnist-bench: error: \(message)\n".utf8))
    exit(64)
}

func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

/// Milliseconds of `runs` calls of `body` after one untimed warm-up call.
func timeRuns(_ runs: Int, _ body: () throws -> Void) rethrows -> [Double] {
    try body()
    var samples: [Double] = []
    for _ in 0..<runs {
        let start = now()
        try body()
        samples.append(Double(now() - start) / 1e6)
    }
    return samples
}

func median(_ samples: [Double]) -> Double {
    let sorted = samples.sorted()
    let mid = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

func fixed(_ value: Double, _ digits: Int = 3) -> String { NumberFormat.fixed(value, decimals: digits) }

func timingLine(_ key: String, _ samples: [Double], _ extra: String = "") -> String {
    "\(key)\(extra) median=\(fixed(median(samples))) min=\(fixed(samples.min()!)) max=\(fixed(samples.max()!)) runs=\(samples.count)"
}

/// Reads every image of `reader` into `buffer` (sized for the whole file); returns the count.
/// The call that returns the last images also verifies the file's end (gzip trailer).
func readAll(_ reader: IDXImageReader, into buffer: UnsafeMutableBufferPointer<UInt8>) throws -> Int {
    var total = 0
    let perImage = reader.pixelsPerImage
    while total < reader.count {
        let rest = UnsafeMutableBufferPointer(rebasing: buffer[(total * perImage)...])
        let got = try reader.read(maxImages: reader.count - total, into: rest)
        if got == 0 { break }
        total += got
    }
    return total
}

func run(_ options: Options) throws {
    let network = try Network.load(path: options.weights).network
    let probe = try IDXImageReader(path: options.images)
    let count = probe.count, perImage = probe.pixelsPerImage
    let pixels = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(1, count * perImage))
    defer { pixels.deallocate() }
    guard try readAll(probe, into: pixels) == count else { fail("\(options.images): fewer images than declared") }
    print("bench images=\(count) path=\(options.images) weights=\(options.weights) cores=\(Threads.availableCores)")

    if options.read {
        // A new reader per run (open + header + inflate), into the same buffer.
        let samples = try timeRuns(options.runs) {
            let reader = try IDXImageReader(path: options.images)
            _ = try readAll(reader, into: pixels)
        }
        let megabytes = Double(count * perImage) / 1e6
        print(timingLine("read_inflate_ms", samples) + " mb_per_s=\(fixed(megabytes / (median(samples) / 1e3), 1))")
    }
    guard options.forward else { return }

    let nonZero = pixels.reduce(0) { $0 + ($1 == 0 ? 0 : 1) }
    let widths = network.architecture
    let denseFlopsPerImage = zip(widths, widths.dropFirst()).reduce(0) { $0 + 2 * $1.0 * $1.1 }
    let laterFlopsPerImage = denseFlopsPerImage - 2 * widths[0] * widths[1]
    let denseFlops = Double(denseFlopsPerImage * count)
    let actualFlops = Double(2 * nonZero * widths[1] + laterFlopsPerImage * count)
    print("density nonzero_fraction=\(fixed(Double(nonZero) / Double(max(1, count * perImage)), 4)) dense_gflop=\(fixed(denseFlops / 1e9, 4)) actual_gflop=\(fixed(actualFlops / 1e9, 4))")

    let predictions = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(1, count))
    let confidences = UnsafeMutableBufferPointer<Float>.allocate(capacity: max(1, count))
    defer { predictions.deallocate(); confidences.deallocate() }
    let outputs = BatchClassifier.Outputs(predictions: predictions, confidences: confidences)
    let input = UnsafeBufferPointer(pixels)

    var configurations = [options.threads]
    if options.singleThread && options.threads != 1 { configurations.append(1) }
    for threads in configurations {
        let classifier = BatchClassifier(network: network, batchSize: options.batchSize, threads: threads)
        let samples = timeRuns(options.runs) { classifier.classify(input, count: count, into: outputs) }
        let seconds = median(samples) / 1e3
        let peak = threads == 1 ? options.peakPerCore : options.peakAllCores * Double(min(threads, Threads.availableCores)) / Double(Threads.availableCores)
        // The fraction of peak is of the work actually done: a dense-equivalent rate
        // counts the skipped zero pixels' FMAs, and can exceed the peak.
        let actual = actualFlops / seconds / 1e9
        let effective = denseFlops / seconds / 1e9
        print(timingLine("forward_ms", samples, " threads=\(threads) batch=\(options.batchSize)")
              + " images_per_s=\(fixed(Double(count) / seconds, 0))")
        print("forward_gflops threads=\(threads) effective_dense_equivalent=\(fixed(effective, 2)) actual_gflops=\(fixed(actual, 2)) peak=\(fixed(peak, 0)) fraction_of_peak=\(fixed(actual / peak, 4))")
    }

    if let labelsPath = options.labels ?? LabelsLocator.locate(forImages: options.images) {
        let labels = try LabelSet.read(path: labelsPath).labels
        guard labels.count == count else { fail("\(labelsPath): \(labels.count) labels for \(count) images") }
        let correct = zip(predictions, labels).reduce(0) { $0 + ($1.0 == $1.1 ? 1 : 0) }
        print("accuracy correct=\(correct) total=\(count) fraction=\(fixed(Double(correct) / Double(max(1, count)), 4))")
    }
    if let path = options.predictionsPath {
        var text = ""
        text.reserveCapacity(count * 2)
        for prediction in predictions { text += "\(prediction)\n" }
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else { fail("cannot write \(path)") }
    }
}

do {
    try run(Options.parse(Array(CommandLine.arguments.dropFirst())))
} catch {
    FileHandle.standardError.write(Data("mnist-bench: error: \(error)\n".utf8))
    exit(65)
}
