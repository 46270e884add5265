import Dispatch

/// Runs numbered work items on up to `threads` threads with
/// `DispatchQueue.concurrentPerform`.
///
/// Work item `i` always does the same work whatever thread picks it up; callers
/// keep the number of items fixed (gradient shards, parameter chunks) so the
/// results never depend on `threads`, only the wall-clock time does.
public struct WorkerPool: Sendable {
    public let threads: Int

    public init(threads: Int) {
        precondition(threads > 0, "at least one thread")
        self.threads = threads
    }

    /// Calls `body(0..<count)` each exactly once; worker `w` takes items
    /// `w, w + threads, ...`. With one thread everything runs on the caller.
    public func forEach(_ count: Int, _ body: (Int) -> Void) {
        let workers = min(threads, count)
        if workers <= 1 {
            for i in 0..<count { body(i) }
            return
        }
        withoutActuallyEscaping(body) { body in
            let shared = UncheckedBox(body)
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                for i in stride(from: worker, to: count, by: workers) { shared.value(i) }
            }
        }
    }

    /// Splits `range` into at most `chunks` contiguous pieces (independent of
    /// `threads`) and runs `body` on each piece.
    public func forEachChunk(of range: Range<Int>, chunks: Int, _ body: (Range<Int>) -> Void) {
        let pieces = max(1, min(chunks, range.count))
        let size = (range.count + pieces - 1) / pieces
        forEach(pieces) { piece in
            let start = range.lowerBound + piece * size
            let end = min(range.upperBound, start + size)
            if start < end { body(start..<end) }
        }
    }
}

/// Lets a closure that is only used while the caller waits cross into
/// `concurrentPerform`; the items it is given write to disjoint memory.
private struct UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
