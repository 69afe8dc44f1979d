import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Samples memory on its own thread every 100 ms and keeps the peaks: this process's RSS, and a cluster's Σ PSS and Σ RSS.
final class BenchMemorySampler: Sendable {
    private struct State {
        var running = true
        var done = false
        var peakSelf = 0
        var lowSelf = Int.max
        var peakClusterPSS = 0
        var peakClusterRSS = 0
        var peakClusterAnonymous = 0
        /// RSS of this process at each sample, for a flatness check.
        var selfSamples: [Int] = []
    }

    private let state = Mutex(State())
    private let dataDirectory: URL?
    /// Signalled when the thread ends (`done`).
    private let finished = NSCondition()

    var peakSelf: Int { state.withLock { $0.peakSelf } }
    var lowSelf: Int { state.withLock { $0.lowSelf } }
    var peakClusterPSS: Int { state.withLock { $0.peakClusterPSS } }
    var peakClusterRSS: Int { state.withLock { $0.peakClusterRSS } }
    var peakClusterAnonymous: Int { state.withLock { $0.peakClusterAnonymous } }

    init(cluster dataDirectory: URL?) {
        self.dataDirectory = dataDirectory
        let thread = Thread { [self] in loop() }
        thread.name = "rapport.bench.memory"
        thread.start()
    }

    private func loop() {
        var tick = 0
        while state.withLock({ $0.running }) {
            let own = BenchMemory.resident()
            var cluster = BenchMemory.Cluster()
            if let dataDirectory, tick % 2 == 0 {
                cluster = BenchMemory.Cluster.read(BenchMemory.clusterProcesses(dataDirectory: dataDirectory))
            }
            state.withLock { state in
                state.peakSelf = max(state.peakSelf, own)
                state.lowSelf = min(state.lowSelf, own)
                if tick % 10 == 0 { state.selfSamples.append(own) }
                state.peakClusterPSS = max(state.peakClusterPSS, cluster.pss)
                state.peakClusterRSS = max(state.peakClusterRSS, cluster.rss)
                state.peakClusterAnonymous = max(state.peakClusterAnonymous, cluster.anonymous)
            }
            tick += 1
            usleep(100_000)
        }
        finished.lock()
        state.withLock { $0.done = true }
        finished.broadcast()
        finished.unlock()
    }

    /// Stops sampling and waits for the thread to end.
    func stop() {
        state.withLock { $0.running = false }
        finished.lock()
        while !state.withLock({ $0.done }) { finished.wait() }
        finished.unlock()
    }

    /// This process's RSS at the first, middle and last second-samples.
    var selfProfile: String {
        state.withLock { state in
            let samples = state.selfSamples
            guard !samples.isEmpty else { return "-" }
            let picks = [0, samples.count / 4, samples.count / 2, samples.count * 3 / 4, samples.count - 1]
            return picks.map { BenchMemory.mebibytes(samples[$0]) }.joined(separator: " → ")
        }
    }
}
