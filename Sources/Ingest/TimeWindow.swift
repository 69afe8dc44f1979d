import Foundation

/// A half-open span of time `[from, to)` that recurring meetings are expanded into.
public struct TimeWindow: Sendable, Hashable {
    public var from: Date
    public var to: Date

    public init(from: Date, to: Date) {
        self.from = from
        self.to = to
    }

    /// The year before `now`: the product's data window.
    public static func yearBefore(_ now: Date) -> TimeWindow {
        TimeWindow(from: now.addingTimeInterval(-365 * 86400), to: now)
    }

    var fromSeconds: Int { Int(from.timeIntervalSince1970.rounded(.down)) }
    var toSeconds: Int { Int(to.timeIntervalSince1970.rounded(.up)) }

    /// Whether an occurrence `[start, end)` overlaps the window; an instant counts when it lies inside it.
    func overlaps(start: Int, end: Int) -> Bool {
        if end <= start { return start >= fromSeconds && start < toSeconds }
        return start < toSeconds && end > fromSeconds
    }
}
