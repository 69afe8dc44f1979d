/// A DATE or DATE-TIME value as written: wall-clock seconds, and how to read them.
///
/// `local` counts seconds since 1970 of the wall clock as if it were UTC.
public struct ICalTime: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// A DATE: an all-day value.
        case date
        /// A DATE-TIME with a trailing `Z`.
        case utc
        /// A DATE-TIME with a TZID parameter.
        case zoned(String)
        /// A DATE-TIME with neither: floating time.
        case floating
    }

    public var local: Int
    public var kind: Kind

    public init(local: Int, kind: Kind) {
        self.local = local
        self.kind = kind
    }

    public var isDate: Bool { kind == .date }

    /// Parses `YYYYMMDD`, `YYYYMMDDTHHMMSS` or `YYYYMMDDTHHMMSSZ` (seconds may be missing).
    public static func parse(_ raw: String, tzid: String? = nil, valueType: String? = nil) -> ICalTime? {
        let u = Array(raw.trimmingSpaces().utf8)
        guard u.count >= 8, let y = digits(u, 0, 4), let m = digits(u, 4, 2), let d = digits(u, 6, 2),
              m >= 1, m <= 12, d >= 1, y >= 1, d <= CivilTime.daysInMonth(year: y, month: m)
        else { return nil }
        let day = CivilTime.days(year: y, month: m, day: d)
        if u.count == 8 || valueType?.uppercased() == "DATE" {
            guard u.count == 8 else { return nil }
            return ICalTime(local: day * 86400, kind: .date)
        }
        guard u.count >= 13, u[8] == UInt8(ascii: "T") || u[8] == UInt8(ascii: "t"),
              let hh = digits(u, 9, 2), let mm = digits(u, 11, 2), hh <= 23, mm <= 59
        else { return nil }
        var i = 13
        var ss = 0
        if let s = digits(u, 13, 2) {
            guard s <= 60 else { return nil }
            ss = min(s, 59)
            i = 15
        }
        var isUTC = false
        if i < u.count, u[i] == UInt8(ascii: "Z") || u[i] == UInt8(ascii: "z") {
            isUTC = true
            i += 1
        }
        guard i == u.count else { return nil }
        let local = day * 86400 + hh * 3600 + mm * 60 + ss
        if isUTC { return ICalTime(local: local, kind: .utc) }
        if let tzid, !tzid.isEmpty { return ICalTime(local: local, kind: .zoned(tzid)) }
        return ICalTime(local: local, kind: .floating)
    }

    /// The value of a DATE or DATE-TIME property, reading its TZID and VALUE parameters.
    public static func parse(_ property: ICalProperty) -> ICalTime? {
        parse(property.value, tzid: property.parameter("TZID"), valueType: property.parameter("VALUE"))
    }

    static func digits(_ u: [UInt8], _ at: Int, _ count: Int) -> Int? {
        guard at + count <= u.count else { return nil }
        var v = 0
        for k in at..<(at + count) {
            let c = u[k]
            guard c >= 0x30, c <= 0x39 else { return nil }
            v = v * 10 + Int(c - 0x30)
        }
        return v
    }

    /// Parses an RFC 5545 DURATION (`P1W`, `-PT15M`, `P1DT2H`); seconds, or nil.
    public static func parseDuration(_ raw: String) -> Int? {
        var s = Substring(raw.trimmingSpaces().uppercased())
        var sign = 1
        if s.first == "+" { s.removeFirst() } else if s.first == "-" { sign = -1; s.removeFirst() }
        guard s.first == "P" else { return nil }
        s.removeFirst()
        var total = 0
        var number = 0
        var haveNumber = false
        var inTime = false
        var any = false
        for c in s {
            if let v = c.wholeNumberValue, c.isASCII {
                number = number * 10 + v
                guard number < 100_000_000 else { return nil }
                haveNumber = true
                continue
            }
            if c == "T" { inTime = true; continue }
            guard haveNumber else { return nil }
            switch (c, inTime) {
            case ("W", false): total += number * 7 * 86400
            case ("D", false): total += number * 86400
            case ("H", true): total += number * 3600
            case ("M", true): total += number * 60
            case ("S", true): total += number
            default: return nil
            }
            number = 0
            haveNumber = false
            any = true
        }
        guard any, !haveNumber else { return nil }
        return sign * total
    }
}
