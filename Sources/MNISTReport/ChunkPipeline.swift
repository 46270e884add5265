import Dispatch
import MNISTData

/// Double-buffered hand-off between a reader thread (inflating images) and the
/// consumer (classifying them).
///
/// Two slots cycle between the reader and the consumer; each semaphore counts
/// the slots on its side. Errors from the reader reach the consumer in order,
/// after every chunk read before them.
final class ChunkPipeline: @unchecked Sendable {
    struct Chunk {
        let slot: Int
        let count: Int
        let pixels: UnsafeBufferPointer<UInt8>
    }

    private let reader: IDXImageReader
    /// Images per chunk: the requested size, or the whole file when smaller.
    let chunkImages: Int
    private let buffers: [UnsafeMutableBufferPointer<UInt8>]
    /// Starts at 0 and is signalled twice in `init`: libdispatch traps when a
    /// semaphore is freed holding less than its initial value, which a run
    /// stopped early by an error would do.
    private let free = DispatchSemaphore(value: 0)
    private let filled = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    // Written by the reader before `filled.signal()`, read by the consumer after `filled.wait()`.
    // A raw allocation, not an Array: the two threads touch different elements, and an
    // Array's copy-on-write check would make that a race on the array itself.
    private let results = UnsafeMutablePointer<Result<Int, Error>>.allocate(capacity: 2)
    private var stopRequested = false
    private var nextSlot = 0

    init(reader: IDXImageReader, chunkImages: Int) {
        precondition(chunkImages > 0)
        self.reader = reader
        // A small file needs no full-size chunk: page-faulting unused buffer costs time.
        let images = max(1, min(chunkImages, reader.count))
        self.chunkImages = images
        buffers = (0..<2).map { _ in .allocate(capacity: images * reader.pixelsPerImage) }
        results.initialize(repeating: .success(0), count: 2)
        free.signal()
        free.signal()
        // A serial queue of its own: libdispatch gives it a thread beside the
        // ones concurrentPerform uses for the classifier.
        DispatchQueue(label: "mnist-reader", qos: .userInitiated).async { [self] in produce() }
    }

    private func produce() {
        var slot = 0
        while true {
            free.wait()
            if stopRequested { break }
            let result = Result { try reader.read(maxImages: chunkImages, into: buffers[slot]) }
            results[slot] = result
            filled.signal()
            if case .success(let count) = result, count > 0 { slot ^= 1 } else { break }
        }
        finished.signal()
    }

    /// The next chunk, or `nil` after the last; rethrows the reader's error.
    func next() throws -> Chunk? {
        filled.wait()
        let slot = nextSlot
        let count = try results[slot].get()
        guard count > 0 else { return nil }
        nextSlot ^= 1
        return Chunk(slot: slot, count: count, pixels: UnsafeBufferPointer(buffers[slot]))
    }

    /// Hands a consumed chunk's buffer back to the reader.
    func release(_ chunk: Chunk) { free.signal() }

    /// Stops the reader (if still running), waits for it, frees the buffers.
    func finish() {
        stopRequested = true
        free.signal()
        finished.wait()
        buffers.forEach { $0.deallocate() }
        results.deinitialize(count: 2)
        results.deallocate()
    }
}
