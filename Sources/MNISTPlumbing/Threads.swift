import CThread
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Threads of the project's own, for work that must start at once (the chunk
/// reader of `mnist-eval`, the trainer's worker team), and how many cores
/// there are to run them on.
public enum Threads {
    /// Cores this process may use: Foundation honours CPU affinity and cgroup
    /// limits, which `sysconf(_SC_NPROCESSORS_ONLN)` ignores. The default of
    /// every tool's `--threads`. Read once: Foundation reads the cgroup files
    /// on every call, and an argument parser may evaluate a default several times.
    public static let availableCores = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// `--threads` capped at the `cores` this process may use, with a note on
    /// stderr when it was more: extra threads only take turns on the cores
    /// (the trainer's helpers spin between hand-outs) and cost their stacks.
    public static func capped(_ requested: Int, cores: Int = availableCores, tool: String) -> Int {
        if requested > cores {
            StandardError.note("--threads \(requested) is more than the \(cores) cores "
                + "this process may use; using \(cores)", tool: tool)
        }
        return min(requested, cores)
    }

    /// Starts `body` now on a detached POSIX thread placed on another CPU than
    /// the caller's (see `cthread_spawn`). Returns false, without running
    /// `body`, when no thread can be created (a process or user thread limit).
    ///
    /// Not a libdispatch queue: the reader's worker thread started a median
    /// 1.3 ms after `async` (30 runs of mnist-eval), while a thread started
    /// here on the idle CPU runs within 0.1 ms.
    @discardableResult
    public static func start(_ body: @escaping @Sendable () -> Void) -> Bool {
        final class Body {
            let run: @Sendable () -> Void
            init(_ run: @escaping @Sendable () -> Void) { self.run = run }
        }
        let context = Unmanaged.passRetained(Body(body)).toOpaque()
        let code = cthread_spawn({ context in
            Unmanaged<Body>.fromOpaque(context!).takeRetainedValue().run()
            return nil
        }, context)
        guard code == 0 else {
            Unmanaged<Body>.fromOpaque(context).release()
            return false
        }
        return true
    }

    /// A spin-wait hint to the CPU (x86 `pause`, arm64 `yield`), for a loop
    /// that waits on another thread's store.
    @inlinable
    public static func pause() { cthread_pause() }

    /// `sched_yield`: lets another runnable thread have this CPU.
    @inlinable
    public static func yield() { cthread_yield() }
}
