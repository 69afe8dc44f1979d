/// An RFC 5545 RRULE: frequency, interval, end, and the BYxxx rule parts.
///
/// Weekdays are 0 = Monday ... 6 = Sunday.
public struct RecurrenceRule: Sendable, Hashable {
    public enum Frequency: Int, Sendable, Hashable, Comparable {
        case secondly, minutely, hourly, daily, weekly, monthly, yearly
        public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
    }

    /// One BYDAY entry: a weekday with an optional ordinal (`-1FR`, `2MO`, `TU`).
    public struct WeekdayNum: Sendable, Hashable {
        public var ordinal: Int
        public var weekday: Int
    }

    public var frequency: Frequency
    public var interval = 1
    public var count: Int?
    public var until: ICalTime?
    public var bySecond: [Int] = []
    public var byMinute: [Int] = []
    public var byHour: [Int] = []
    public var byDay: [WeekdayNum] = []
    public var byMonthDay: [Int] = []
    public var byYearDay: [Int] = []
    public var byWeekNo: [Int] = []
    public var byMonth: [Int] = []
    public var bySetPos: [Int] = []
    public var weekStart = 0

    public init(frequency: Frequency) {
        self.frequency = frequency
    }

    static let weekdays = ["MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6]

    /// Parses an RRULE value; nil without a valid FREQ. Out-of-range values are dropped.
    public static func parse(_ raw: String) -> RecurrenceRule? {
        var parts: [String: String] = [:]
        for part in raw.split(separator: ";") {
            let kv = part.split(separator: "=", maxSplits: 1)
            guard kv.count == 2 else { continue }
            parts[kv[0].trimmingSpacesSub().uppercased()] = kv[1].trimmingSpacesSub()
        }
        let freqs: [String: Frequency] = [
            "SECONDLY": .secondly, "MINUTELY": .minutely, "HOURLY": .hourly, "DAILY": .daily,
            "WEEKLY": .weekly, "MONTHLY": .monthly, "YEARLY": .yearly,
        ]
        guard let f = parts["FREQ"].flatMap({ freqs[$0.uppercased()] }) else { return nil }
        // RFC 7529 non-Gregorian rules (RSCALE=CHINESE, HEBREW, ...) are not expanded.
        if let scale = parts["RSCALE"], scale.uppercased() != "GREGORIAN" { return nil }
        var rule = RecurrenceRule(frequency: f)
        // Invalid INTERVAL or COUNT values are ignored, not fatal (COUNT=-1 is seen in the wild).
        // An UNTIL that cannot be read makes the rule unusable: ignoring it could invent years of meetings.
        if let v = parts["INTERVAL"], let i = Int(v), i >= 1 { rule.interval = min(i, 1_000_000) }
        if let v = parts["COUNT"], let c = Int(v), c >= 0 { rule.count = c }
        if let v = parts["UNTIL"] {
            guard let u = ICalTime.parse(v) else { return nil }
            rule.until = u
        }
        func ints(_ key: String, _ range: ClosedRange<Int>, allowNegative: Bool) -> [Int] {
            guard let v = parts[key] else { return [] }
            return v.split(separator: ",").compactMap { Int($0.trimmingSpacesSub()) }.filter {
                range.contains($0) || (allowNegative && range.contains(-$0) && $0 != 0)
            }
        }
        rule.bySecond = ints("BYSECOND", 0...60, allowNegative: false)
        rule.byMinute = ints("BYMINUTE", 0...59, allowNegative: false)
        rule.byHour = ints("BYHOUR", 0...23, allowNegative: false)
        rule.byMonthDay = ints("BYMONTHDAY", 1...31, allowNegative: true)
        rule.byYearDay = ints("BYYEARDAY", 1...366, allowNegative: true)
        rule.byWeekNo = ints("BYWEEKNO", 1...53, allowNegative: true)
        rule.byMonth = ints("BYMONTH", 1...12, allowNegative: false)
        rule.bySetPos = ints("BYSETPOS", 1...366, allowNegative: true)
        if let v = parts["BYDAY"] {
            for item in v.split(separator: ",") {
                let t = item.trimmingSpacesSub().uppercased()
                guard t.count >= 2, let wd = weekdays[String(t.suffix(2))] else { continue }
                let ord = t.dropLast(2)
                if ord.isEmpty || ord == "+" {
                    rule.byDay.append(WeekdayNum(ordinal: 0, weekday: wd))
                } else if let n = Int(ord.hasPrefix("+") ? String(ord.dropFirst()) : String(ord)), n != 0, abs(n) <= 53 {
                    rule.byDay.append(WeekdayNum(ordinal: n, weekday: wd))
                }
            }
        }
        if let v = parts["WKST"], let wd = weekdays[v.uppercased()] { rule.weekStart = wd }
        return rule
    }
}

extension Substring {
    func trimmingSpacesSub() -> String { String(self).trimmingSpaces() }
}
