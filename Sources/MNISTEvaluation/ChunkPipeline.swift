import Dispatch
import MNISTData
import MNISTNetwork
import Synchronization
import MNISTPlumbing

/// A ring of chunk buffers between a reader thread (inflating images) and the
/// consumer (classifying them).
///
/// Slots cycle in order between the reader and the consumer; each semaphore
/// counts the slots on its side. More than two slots let the reader run ahead
/// while the consumer is slow for a moment (loading the network, sharing a
/// core), so inflating, the slower stage, never waits. Errors from the reader
/// reach the consumer in order, after every chunk read before them.
final class ChunkPipeline: @unchecked Sendable {
    struct Chunk {
        let slot: Int
        let count: Int
        let pixels: UnsafeBufferPointer<UInt8>
    }

    /// What the reader left in a slot; written by the reader before
    /// `filled.signal()`, read by the consumer after `filled.wait()`.
    private struct Slot {
        let pixels: UnsafeMutableBufferPointer<UInt8>
        var result: Result<Int, Error> = .success(0)
    }

    private let reader: IDXImageReader
    /// Images per chunk: the requested size, or the whole file when smaller.
    let chunkImages: Int
    /// A raw allocation, not an Array: the two threads touch different
    /// elements, and an Array's copy-on-write check would make that a race
    /// on the array itself.
    private let slots: UnsafeMutableBufferPointer<Slot>
    /// Starts at 0 and is signalled once per slot in `init`: libdispatch traps
    /// when a semaphore is freed holding less than its initial value, which a
    /// run stopped early by an error would do.
    private let free = DispatchSemaphore(value: 0)
    private let filled = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    /// Set by `finish`; the reader may be between chunks, reading it, at that moment.
    private let stopRequested = Atomic<Bool>(false)
    private var nextSlot = 0
    /// Filled slots not yet taken by the consumer.
    private let ready = Atomic<Int>(0)
    /// Set by the reader once it has read every image (or failed).
    private let exhausted = Atomic<Bool>(false)
    /// The reader's place: its next slot and the images read so far.
    private var producerSlot = 0, producerImages = 0
    /// No reader thread could be created (a thread limit): `next` reads each
    /// chunk itself, one at a time.
    private(set) var threadless = false

    /// Starts the reader thread at once (or, failing that, reads in `next`).
    /// `readerThread: false` skips the thread, as a thread limit would (tests).
    init(reader: IDXImageReader, slotCount: Int, chunkImages: Int, readerThread: Bool = true) {
        precondition(chunkImages > 0 && slotCount >= 2)
        self.reader = reader
        // A small file needs no full-size chunk and no ring: page-faulting unused
        // buffers costs time.
        let images = max(1, min(chunkImages, reader.count))
        let count = min(slotCount, max(2, (reader.count + images - 1) / images))
        self.chunkImages = images
        slots = .allocate(capacity: count)
        for i in 0..<count {
            (slots.baseAddress! + i).initialize(to: Slot(pixels: .allocate(capacity: images * reader.pixelsPerImage)))
            free.signal()
        }
        // A thread of its own, beside the ones concurrentPerform uses for the
        // classifier. Not libdispatch's pool as a fallback: it cannot grow past
        // a thread limit either, and the consumer would wait forever.
        threadless = !readerThread || !Threads.start { [self] in produce() }
    }

    private func produce() {
        while true {
            free.wait()
            if stopRequested.load(ordering: .relaxed) || !produceChunk() { break }
        }
        finished.signal()
    }

    /// Reads the next chunk into its slot and hands it over; false once the
    /// data has ended or failed.
    private func produceChunk() -> Bool {
        let slot = producerSlot
        let result = Result { try reader.read(maxImages: chunkImages, into: slots[slot].pixels) }
        slots[slot].result = result
        switch result {
        case .success(let count): producerImages += count
        case .failure: producerImages = reader.count
        }
        if producerImages == reader.count { exhausted.store(true, ordering: .relaxed) }
        ready.add(1, ordering: .relaxed)
        filled.signal()
        guard case .success(let count) = result, count > 0 else { return false }
        producerSlot = (slot + 1) % slots.count
        return true
    }

    /// Whether the reader needs a core of its own at this moment: it is
    /// inflating (a raw file's reader is a copy, done in a moment), has images
    /// left, and is not blocked on a ring that is full without the chunk the
    /// consumer holds. A hint for how many cores the consumer should take.
    var readerNeedsCore: Bool {
        !threadless && reader.isGzip && !exhausted.load(ordering: .relaxed) && ready.load(ordering: .relaxed) < slots.count - 1
    }

    /// The next chunk, or `nil` after the last; rethrows the reader's error.
    func next() throws -> Chunk? {
        if threadless {
            free.wait()  // never blocks: the consumer holds at most one chunk of several
            _ = produceChunk()
        }
        filled.wait()
        ready.subtract(1, ordering: .relaxed)
        let slot = nextSlot
        let count = try slots[slot].result.get()
        guard count > 0 else { return nil }
        nextSlot = (slot + 1) % slots.count
        return Chunk(slot: slot, count: count, pixels: UnsafeBufferPointer(slots[slot].pixels))
    }

    /// Hands a consumed chunk's buffer back to the reader.
    func release(_ chunk: Chunk) { free.signal() }

    /// Stops the reader (if still running), waits for it, frees the buffers.
    func finish() {
        if !threadless {
            stopRequested.store(true, ordering: .relaxed)
            free.signal()
            finished.wait()
        }
        for slot in slots { slot.pixels.deallocate() }
        slots.deinitialize()
        slots.deallocate()
    }
}
