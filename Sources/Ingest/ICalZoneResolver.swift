/// Finds the zone for a TZID in one iCalendar file.
///
/// Order, as Python's `icalendar` does it: an IANA name known to the
/// system's zone database; the file's VTIMEZONE of that TZID; a Windows
/// name (`W. Europe Standard Time`) through CLDR's mapping; a "globally
/// unique" TZID (`/mozilla.org/20050126_1/Europe/Berlin`) by its trailing
/// IANA name. A TZID none of these knows is read as UTC, like a floating
/// time.
public struct ICalZoneResolver: Sendable {
    var vtimezones: [String: ICalComponent] = [:]
    var resolved: [String: ICalZone] = [:]
    /// Transitions of VTIMEZONE rules are expanded up to this local time.
    let horizon: Int

    public init(calendar: ICalComponent, horizon: Int) {
        self.horizon = horizon
        for tz in calendar.children where tz.name == "VTIMEZONE" {
            if let id = tz.property("TZID")?.value.trimmingSpaces(), vtimezones[id] == nil {
                vtimezones[id] = tz
            }
        }
    }

    public mutating func zone(_ rawID: String) -> ICalZone {
        if let z = resolved[rawID] { return z }
        let z = lookup(rawID)
        resolved[rawID] = z
        return z
    }

    func lookup(_ rawID: String) -> ICalZone {
        let id = rawID.trimmingSpaces()
        let cleaned = id.trimmingCharacters(in: "/")
        if let z = ICalZone.named(cleaned) { return z }
        if let tz = vtimezones[id] ?? vtimezones[cleaned], let z = Self.fromVTimezone(tz, horizon: horizon) { return z }
        if let iana = WindowsZones.ianaByWindowsName[cleaned], let z = ICalZone.named(iana) { return z }
        if id.hasPrefix("/") {
            let parts = cleaned.split(separator: "/")
            if parts.count > 1 {
                for start in 1..<parts.count {
                    if let z = ICalZone.named(parts[start...].joined(separator: "/")) { return z }
                }
            }
        }
        return .utc
    }

    /// Builds a zone from a VTIMEZONE's STANDARD and DAYLIGHT observances; nil when it has none usable.
    static func fromVTimezone(_ tz: ICalComponent, horizon: Int) -> ICalZone? {
        var items: [(Int, Int, Int)] = []  // (utc instant, offsetFrom, offsetTo)
        for obs in tz.children where obs.name == "STANDARD" || obs.name == "DAYLIGHT" {
            guard let startProp = obs.property("DTSTART"), let start = ICalTime.parse(startProp.value),
                  let toProp = obs.property("TZOFFSETTO"), let to = parseOffset(toProp.value)
            else { continue }
            let from = obs.property("TZOFFSETFROM").flatMap { parseOffset($0.value) } ?? to
            var locals: [Int] = [start.local]
            for r in obs.properties("RRULE") {
                guard let rule = RecurrenceRule.parse(r.value) else { continue }
                let untilUTC: Int? = rule.until.map { $0.kind == .utc ? $0.local : $0.local - from }
                locals += rule.expand(start: start.local, notAfter: horizon) { local in
                    guard let untilUTC else { return false }
                    return local - from > untilUTC
                }
            }
            for r in obs.properties("RDATE") {
                for v in r.value.split(separator: ",") {
                    if let t = ICalTime.parse(String(v)) { locals.append(t.kind == .utc ? t.local + from : t.local) }
                }
            }
            for l in Set(locals) { items.append((l - from, from, to)) }
        }
        guard !items.isEmpty else { return nil }
        items.sort { $0.0 < $1.0 }
        return ICalZone(.rules(transitions: items.map(\.0), offsets: items.map(\.2), initialOffset: items[0].1))
    }

    /// Parses a UTC offset `+hhmm`, `-hhmm` or `+hhmmss`; seconds east of UTC.
    static func parseOffset(_ raw: String) -> Int? {
        let s = Array(raw.trimmingSpaces().utf8)
        guard s.count == 5 || s.count == 7, s[0] == UInt8(ascii: "+") || s[0] == UInt8(ascii: "-"),
              let h = ICalTime.digits(s, 1, 2), let m = ICalTime.digits(s, 3, 2)
        else { return nil }
        var secs = h * 3600 + m * 60
        if s.count == 7 {
            guard let x = ICalTime.digits(s, 5, 2) else { return nil }
            secs += x
        }
        return s[0] == UInt8(ascii: "-") ? -secs : secs
    }
}

extension String {
    func trimmingCharacters(in chars: Character) -> String {
        var s = Substring(self)
        while s.first == chars { s.removeFirst() }
        while s.last == chars { s.removeLast() }
        return String(s)
    }
}
