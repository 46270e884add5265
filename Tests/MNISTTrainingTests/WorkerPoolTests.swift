import Glibc
import Synchronization
import Testing
@testable import MNISTTraining

@Suite struct WorkerPoolTests {
    /// Every item exactly once, for item counts below, at and above the thread
    /// count, over many hand-outs in a row (the helpers spinning between them).
    @Test(arguments: [1, 2, 3, 4])
    func runsEveryItemExactlyOnce(threads: Int) {
        let pool = WorkerPool(threads: threads)
        for count in [0, 1, 2, 3, 5, 8, 17, 64] {
            for _ in 0..<50 {
                let hits = UnsafeMutableBufferPointer<Int>.allocate(capacity: max(1, count))
                hits.initialize(repeating: 0)
                defer { hits.deallocate() }
                pool.forEach(count) { hits[$0] += 1 }  // items write disjoint elements
                #expect(hits.prefix(count).allSatisfy { $0 == 1 }, "count \(count)")
            }
        }
    }

    /// Helpers that found no work for a while sleep; the next hand-out must
    /// wake them, and it must not finish before their items are done.
    @Test func wakesSleepingHelpers() {
        let pool = WorkerPool(threads: 3)
        let done = Atomic<Int>(0)
        for round in 1...5 {
            usleep(20_000)  // far beyond the helpers' spinning
            pool.forEach(6) { _ in
                usleep(1_000)
                done.add(1, ordering: .relaxed)
            }
            #expect(done.load(ordering: .relaxed) == 6 * round)
        }
    }

    @Test func chunksCoverTheRangeOnce() {
        let pool = WorkerPool(threads: 2)
        let marks = UnsafeMutableBufferPointer<Int>.allocate(capacity: 1000)
        marks.initialize(repeating: 0)
        defer { marks.deallocate() }
        pool.forEachChunk(of: 10..<1000, chunks: 16) { range in
            for i in range { marks[i] += 1 }
        }
        #expect(marks[..<10].allSatisfy { $0 == 0 } && marks[10...].allSatisfy { $0 == 1 })
    }

    /// Pools made and dropped in a loop stop their helpers. Each pool's helpers
    /// hold its team's state until they return, so a weak reference to that
    /// state tells this pool's helpers apart from every other thread of the
    /// process (other suites run at the same time).
    @Test func releasedPoolsStopTheirHelpers() throws {
        var lifetimes: [Weak] = []
        for _ in 0..<50 {
            let pool = WorkerPool(threads: 3)
            let sum = Atomic<Int>(0)
            pool.forEach(6) { sum.add($0, ordering: .relaxed) }
            #expect(sum.load(ordering: .relaxed) == 15)
            lifetimes.append(Weak(try #require(pool.helpers).helpersLifetime))
        }
        for _ in 0..<500 where lifetimes.contains(where: { $0.object != nil }) {  // helpers exit on their own time
            usleep(10_000)
        }
        let running = lifetimes.filter { $0.object != nil }.count
        #expect(running == 0, "\(running) of 50 released pools still have helpers running after 5 s")
    }

    final class Weak {
        weak var object: AnyObject?
        init(_ object: AnyObject) { self.object = object }
    }
}
