#if canImport(Glibc)
import Glibc
#endif
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

    /// Pools made and dropped in a loop stop their helpers: 150 pools of two
    /// helpers would leave 300 threads. Other suites run at the same time and
    /// start threads of their own, hence the margin.
    @Test func releasedPoolsStopTheirHelpers() throws {
        let before = try Self.processThreads()
        for _ in 0..<150 {
            let pool = WorkerPool(threads: 3)
            let sum = Atomic<Int>(0)
            pool.forEach(6) { sum.add($0, ordering: .relaxed) }
            #expect(sum.load(ordering: .relaxed) == 15)
        }
        var after = try Self.processThreads()
        for _ in 0..<100 where after - before >= 100 {  // helpers exit on their own time
            usleep(10_000)
            after = try Self.processThreads()
        }
        #expect(after - before < 100, "threads: \(before) before, \(after) after")
    }

    /// The `Threads:` line of /proc/self/status.
    static func processThreads() throws -> Int {
        let file = try #require(fopen("/proc/self/status", "r"))
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 256)
        while fgets(&line, Int32(line.count), file) != nil {
            let text = line.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            if text.hasPrefix("Threads:") { return try #require(Int(text.dropFirst(8).filter { !$0.isWhitespace })) }
        }
        throw NoThreadsLine()
    }

    struct NoThreadsLine: Error {}
}
