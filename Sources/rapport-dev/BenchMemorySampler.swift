import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Samples memory on its own thread every 100 ms and keeps the peaks: this process's RSS, and a cluster's Σ PSS and Σ RSS.
final class BenchMemorySampler: @unchecked Sendable {
    private let lock = NSLock()
    private var running = true
    private let dataDirectory: URL?
    private(set) var peakSelf = 0
    private(set) var lowSelf = Int.max
    private(set) var peakClusterPSS = 0
    private(set) var peakClusterRSS = 0
    private(set) var peakClusterAnonymous = 0
    /// RSS of this process at each sample, for a flatness check.
    private(set) var selfSamples: [Int] = []
    private let finished = NSCondition()
    private var done = false

    init(cluster dataDirectory: URL?) {
        self.dataDirectory = dataDirectory
        let thread = Thread { [self] in loop() }
        thread.name = "rapport.bench.memory"
        thread.start()
    }

    private func loop() {
        var tick = 0
        while lock.withLock({ running }) {
            let own = BenchMemory.resident()
            var cluster = BenchMemory.Cluster()
            if let dataDirectory, tick % 2 == 0 {
                cluster = BenchMemory.Cluster.read(BenchMemory.clusterProcesses(dataDirectory: dataDirectory))
            }
            lock.withLock {
                peakSelf = max(peakSelf, own)
                lowSelf = min(lowSelf, own)
                if tick % 10 == 0 { selfSamples.append(own) }
                peakClusterPSS = max(peakClusterPSS, cluster.pss)
                peakClusterRSS = max(peakClusterRSS, cluster.rss)
                peakClusterAnonymous = max(peakClusterAnonymous, cluster.anonymous)
            }
            tick += 1
            usleep(100_000)
        }
        finished.lock()
        done = true
        finished.broadcast()
        finished.unlock()
    }

    /// Stops sampling and waits for the thread to end.
    func stop() {
        lock.withLock { running = false }
        finished.lock()
        while !done { finished.wait() }
        finished.unlock()
    }

    /// This process's RSS at the first, middle and last second-samples.
    var selfProfile: String {
        lock.withLock {
            guard !selfSamples.isEmpty else { return "-" }
            let picks = [0, selfSamples.count / 4, selfSamples.count / 2, selfSamples.count * 3 / 4, selfSamples.count - 1]
            return picks.map { BenchMemory.mebibytes(selfSamples[$0]) }.joined(separator: " → ")
        }
    }
}
