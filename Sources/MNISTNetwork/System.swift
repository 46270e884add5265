#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

enum System {
    /// Cores this process may use (Foundation honours CPU affinity and cgroup limits).
    static var activeProcessorCount: Int { ProcessInfo.processInfo.activeProcessorCount }
}
