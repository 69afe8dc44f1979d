import Foundation

/// The sliding windows and in-flight counts of service protection, per organization and user.
///
/// The request-count and execution-time limits bite only once exceeded: the request that crosses a limit is
/// served, the ones after it are refused until enough of the window has slid by. The concurrency limit refuses
/// at once.
struct ServiceProtection: Sendable {
    struct Window: Sendable {
        var entries: [(at: Date, cost: Double)] = []
        var head = 0
        var cost: Double = 0
        var inFlight = 0

        var count: Int { entries.count - head }

        mutating func slide(to now: Date, window: Double) {
            let start = now.addingTimeInterval(-window)
            while head < entries.count, entries[head].at <= start {
                cost -= entries[head].cost
                head += 1
            }
            if head > 1024, head * 2 > entries.count {
                entries.removeFirst(head)
                head = 0
            }
            if head == entries.count { cost = 0 }
        }
    }

    private var windows: [String: Window] = [:]

    /// Admits a request (counting it in flight) or says why not.
    mutating func admit(_ user: String, now: Date, limits: FakeDataverseLimits) -> DataverseError? {
        var window = windows[user, default: Window()]
        defer { windows[user] = window }
        window.slide(to: now, window: limits.windowSeconds)
        guard limits.enabled else {
            window.inFlight += 1
            return nil
        }
        if window.inFlight >= limits.concurrencyLimit {
            return .concurrency(limit: limits.concurrencyLimit, retryAfter: 1)
        }
        let seconds = Int(limits.windowSeconds.rounded())
        if window.count > limits.requestLimit {
            // The oldest requests beyond the limit must leave the window.
            let leaving = window.entries[window.head + window.count - limits.requestLimit - 1]
            return .tooManyRequests(limit: limits.requestLimit, windowSeconds: seconds, retryAfter: retryAfter(leaving.at, now: now, limits: limits))
        }
        if window.cost > Double(limits.executionTimeLimitMilliseconds) {
            var remaining = window.cost
            var leaving = window.entries[window.head]
            for entry in window.entries[window.head...] {
                leaving = entry
                remaining -= entry.cost
                if remaining <= Double(limits.executionTimeLimitMilliseconds) { break }
            }
            return .executionTime(
                limitMilliseconds: limits.executionTimeLimitMilliseconds, windowSeconds: seconds,
                retryAfter: retryAfter(leaving.at, now: now, limits: limits))
        }
        window.inFlight += 1
        return nil
    }

    /// Seconds until an entry leaves the window (at least 1).
    private func retryAfter(_ at: Date, now: Date, limits: FakeDataverseLimits) -> Int {
        max(1, Int((at.addingTimeInterval(limits.windowSeconds).timeIntervalSince(now)).rounded(.up)))
    }

    /// Counts a served request and its simulated execution time.
    mutating func record(_ user: String, now: Date, cost: Double) {
        windows[user, default: Window()].entries.append((now, cost))
        windows[user, default: Window()].cost += cost
    }

    /// The request left (after its latency).
    mutating func leave(_ user: String) {
        windows[user, default: Window()].inFlight -= 1
    }

    /// What the `x-ms-ratelimit-*` headers report: requests left, and execution time left in seconds.
    mutating func remaining(_ user: String, now: Date, limits: FakeDataverseLimits) -> (requests: Int, seconds: Double) {
        windows[user, default: Window()].slide(to: now, window: limits.windowSeconds)
        let window = windows[user]!
        return (max(0, limits.requestLimit - window.count), max(0, Double(limits.executionTimeLimitMilliseconds) - window.cost) / 1000)
    }
}
