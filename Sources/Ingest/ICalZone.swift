import Foundation
import Synchronization

/// A time zone that turns iCalendar wall-clock times into UTC.
///
/// Built from a file's VTIMEZONE, an IANA name (Foundation's TimeZone), a
/// Windows name through `WindowsZones`, or UTC for floating times.
/// Ambiguous wall times (the repeated hour when clocks go back) take the
/// earlier offset, and times in the gap when clocks go forward take the
/// offset from before the gap, as Python's zoneinfo does with `fold=0`.
public final class ICalZone: Sendable {
    enum Source {
        case utc
        case foundation(TimeZone)
        case rules(transitions: [Int], offsets: [Int], initialOffset: Int)
    }

    let source: Source
    /// Cache of offsets by UTC hour, for Foundation zones (their lookups are slow).
    private let cache = Mutex<[Int: Int]>([:])

    init(_ source: Source) {
        self.source = source
    }

    public static let utc = ICalZone(.utc)

    public static func named(_ identifier: String) -> ICalZone? {
        guard let tz = TimeZone(identifier: identifier) else { return nil }
        if tz.identifier == "GMT" && !["GMT", "UTC", "Etc/UTC", "Etc/GMT", "UCT", "Universal", "Zulu", "Etc/Universal", "Etc/Zulu", "Greenwich", "Etc/Greenwich", "GMT0", "Etc/GMT0", "Etc/GMT+0", "Etc/GMT-0", "Etc/UCT", "GMT+0", "GMT-0"].contains(identifier) {
            return nil
        }
        return ICalZone(.foundation(tz))
    }

    /// The offset east of UTC, in seconds, at a UTC instant.
    public func offset(atUTC t: Int) -> Int {
        switch source {
        case .utc:
            return 0
        case .foundation(let tz):
            let key = RecurrenceRule.floorDiv(t, 900)
            if let v = cache.withLock({ $0[key] }) { return v }
            let v = tz.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(key * 900)))
            cache.withLock { cache in
                if cache.count > 100_000 { cache.removeAll() }
                cache[key] = v
            }
            return v
        case .rules(let transitions, let offsets, let initial):
            // Last transition at or before t.
            var lo = 0, hi = transitions.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if transitions[mid] <= t { lo = mid + 1 } else { hi = mid }
            }
            return lo == 0 ? initial : offsets[lo - 1]
        }
    }

    /// The UTC instant of a wall-clock time in this zone.
    public func utc(fromLocal local: Int) -> Int {
        if case .utc = source { return local }
        let early = offset(atUTC: local - 86400)
        let late = offset(atUTC: local + 86400)
        if early == late { return local - early }
        let u1 = local - early
        if offset(atUTC: u1) == early { return u1 }
        let u2 = local - late
        if offset(atUTC: u2) == late { return u2 }
        return u1
    }

    /// The wall-clock time in this zone of a UTC instant.
    public func local(fromUTC t: Int) -> Int {
        t + offset(atUTC: t)
    }
}
