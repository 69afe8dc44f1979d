import Foundation

/// How long to wait before trying a request again.
struct Backoff: Sendable {
    let base: Duration
    let cap: Duration

    /// Exponential with full jitter: a random wait in `[0, min(cap, base × 2^attempt)]` (attempt 0 is the first retry).
    func delay(attempt: Int) -> Duration {
        let ceiling = min(cap.seconds, base.seconds * pow(2, Double(min(attempt, 30))))
        return .milliseconds(Int64((Double.random(in: 0...1) * ceiling * 1000).rounded()))
    }

    /// A server's `Retry-After` (seconds, or an HTTP date), capped; nil when absent or unreadable.
    ///
    /// An HTTP date is the server's wall clock and the wait is a real sleep, so `now` is wall time, not the platform's clock.
    func retryAfter(_ header: String?, now: Date = Date()) -> Duration? {
        guard let text = header?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        if let seconds = Double(text), seconds >= 0 {
            return .milliseconds(Int64(min(seconds, cap.seconds) * 1000))
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: text) else { return nil }
        return .milliseconds(Int64(min(max(0, date.timeIntervalSince(now)), cap.seconds) * 1000))
    }
}

extension Duration {
    /// The duration in seconds, as a Double.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
