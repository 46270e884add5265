import Foundation

enum System {
    /// Cores this process may use (Foundation honours CPU affinity and cgroup limits).
    static var activeProcessorCount: Int { ProcessInfo.processInfo.activeProcessorCount }
}
