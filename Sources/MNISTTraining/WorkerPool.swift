import Dispatch
import MNISTNetwork
import MNISTPlumbing
import Synchronization

/// Runs numbered work items on up to `threads` threads: the caller and
/// `threads - 1` helper threads of its own (`HelperThreads`).
///
/// Work item `i` always does the same work whatever thread picks it up; callers
/// keep the number of items fixed (gradient shards, parameter chunks) so the
/// results never depend on `threads`, only the wall-clock time does.
///
/// A training step hands out work twice (the gradient shards, then the
/// optimiser's chunks), about 860 times an epoch, each for a millisecond or
/// less. With `DispatchQueue.concurrentPerform` every hand-out woke a sleeping
/// worker and the epoch kept two cores only 1.5 busy; the team's helpers spin
/// for a moment between hand-outs instead, and sleep only when work stops.
public struct WorkerPool: Sendable {
    public let threads: Int
    let helpers: HelperThreads?

    public init(threads: Int) {
        precondition(threads > 0, "at least one thread")
        self.threads = threads
        // Without threads to be had, the caller does all the work: slower, same result.
        helpers = threads > 1 ? HelperThreads(helpers: threads - 1) : nil
    }

    /// Calls `body(0..<count)` each exactly once; worker `w` takes items
    /// `w, w + threads, ...`. With one thread everything runs on the caller.
    public func forEach(_ count: Int, _ body: (Int) -> Void) {
        let workers = min(threads, count)
        guard workers > 1, let helpers else {
            for i in 0..<count { body(i) }
            return
        }
        helpers.run { worker in
            guard worker < workers else { return }
            for i in stride(from: worker, to: count, by: workers) { body(i) }
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

/// Helper threads that run one job at a time beside the caller.
///
/// `run` publishes the job by bumping `generation`; a helper that is spinning
/// sees it within a few hundred nanoseconds. A helper that found no job for
/// `spinLimit` pauses (tens of microseconds) goes to sleep on its semaphore,
/// and `run` wakes it. Whether a helper sleeps is settled by one
/// compare-and-exchange on its `sleeping` flag, which either the helper (it
/// saw the new generation after all) or `run` (it will signal) wins.
///
/// Released, it stops its helpers; they hold only the `HandOff`.
final class HelperThreads: Sendable {
    private let handOff: HandOff

    /// Nil when a helper thread cannot be created; the ones already started stop.
    init?(helpers: Int) {
        handOff = HandOff(helpers: helpers)
        for helper in 0..<helpers {
            let handOff = self.handOff
            guard Threads.start({ handOff.serve(helper) }) else {
                handOff.stop()
                return nil
            }
        }
    }

    deinit { handOff.stop() }

    /// The helpers' shared hand-off state, which lives until the last helper has
    /// returned: a test holds it weakly to see this team's helpers stop,
    /// whatever other threads the process runs.
    var helpersLifetime: AnyObject { handOff }

    /// Runs `job(0)` on the caller and `job(h + 1)` on helper `h`; returns
    /// when all have returned. One `run` at a time.
    func run(_ job: (Int) -> Void) {
        withoutActuallyEscaping(job) { job in
            handOff.publish(job)
            job(0)
            handOff.waitForHelpers()
        }
    }

    private final class HandOff: @unchecked Sendable {
        let helpers: Int
        /// Pauses a waiting helper spins before it sleeps: about 50 µs here,
        /// longer than the gaps between a training step's hand-outs.
        static let spinLimit = 2048
        let generation = Atomic<Int>(0)
        let pending = Atomic<Int>(0)
        let stopping = Atomic<Bool>(false)
        /// Per helper: 1 while it sleeps (or is about to) on `wakeups[h]`.
        let sleeping: UnsafeMutablePointer<Atomic<Int>>
        let wakeups: [DispatchSemaphore]
        /// Written by `publish` before `generation` is bumped, read by the
        /// helpers after they see the bump, cleared once all are done.
        var job: ((Int) -> Void)?

        init(helpers: Int) {
            self.helpers = helpers
            sleeping = .allocate(capacity: helpers)
            for h in 0..<helpers { (sleeping + h).initialize(to: Atomic(0)) }
            wakeups = (0..<helpers).map { _ in DispatchSemaphore(value: 0) }
        }

        deinit {
            sleeping.deinitialize(count: helpers)
            sleeping.deallocate()
        }

        func publish(_ job: @escaping (Int) -> Void) {
            self.job = job
            pending.store(helpers, ordering: .relaxed)
            generation.add(1, ordering: .sequentiallyConsistent)
            wakeSleepers()
        }

        func waitForHelpers() {
            var spins = 0
            while pending.load(ordering: .acquiring) > 0 {
                spins += 1
                // A helper that is not running (more threads than cores) needs this CPU.
                if spins < Self.spinLimit { Threads.pause() } else { Threads.yield() }
            }
            job = nil
        }

        func stop() {
            stopping.store(true, ordering: .sequentiallyConsistent)
            generation.add(1, ordering: .sequentiallyConsistent)
            wakeSleepers()
        }

        private func wakeSleepers() {
            for h in 0..<helpers
            where sleeping[h].compareExchange(expected: 1, desired: 0, ordering: .sequentiallyConsistent).exchanged {
                wakeups[h].signal()
            }
        }

        /// Helper `helper`'s loop: wait for a new generation, run its part.
        func serve(_ helper: Int) {
            var seen = 0
            while true {
                var spins = 0
                while generation.load(ordering: .acquiring) == seen {
                    spins += 1
                    if spins < Self.spinLimit {
                        Threads.pause()
                        continue
                    }
                    spins = 0
                    sleeping[helper].store(1, ordering: .sequentiallyConsistent)
                    if generation.load(ordering: .sequentiallyConsistent) != seen,
                       sleeping[helper].compareExchange(expected: 1, desired: 0, ordering: .sequentiallyConsistent).exchanged {
                        break  // the new job came in time; nobody will signal
                    }
                    wakeups[helper].wait()  // `wakeSleepers` cleared the flag and signalled
                }
                seen = generation.load(ordering: .acquiring)
                if stopping.load(ordering: .relaxed) { return }
                runJob(helper + 1)
                pending.subtract(1, ordering: .releasing)
            }
        }

        /// The job's closure is released before `pending` drops, so `run`'s
        /// `withoutActuallyEscaping` finds it unreferenced.
        @inline(never)
        private func runJob(_ worker: Int) { job!(worker) }
    }
}
