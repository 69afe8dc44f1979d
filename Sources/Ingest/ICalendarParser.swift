import Engagement
import Foundation

/// Reads the VEVENTs of an iCalendar stream as meeting occurrences inside a window.
///
/// Recurring events (RRULE, RDATE, EXDATE) are expanded; a RECURRENCE-ID
/// override replaces the occurrence it names; STATUS:CANCELLED (on the
/// event or one override) and METHOD:CANCEL mark occurrences cancelled
/// rather than dropping them. DATE values are all-day (midnight UTC of the
/// date); floating times are read in the calendar's X-WR-TIMEZONE when it
/// has one, else as UTC. Events without a usable DTSTART are skipped; of two
/// series with one UID the higher SEQUENCE (else the later) wins.
public enum ICalendarParser {
    public static func meetings(_ bytes: [UInt8], window: TimeWindow) -> [ActivityMeeting] {
        let root = ICalComponent.parse(bytes)
        var out: [ActivityMeeting] = []
        var calendars = root.children.filter { $0.name == "VCALENDAR" }
        let loose = root.children.filter { $0.name == "VEVENT" }
        if !loose.isEmpty { calendars.append(ICalComponent(name: "VCALENDAR", children: loose)) }
        for cal in calendars {
            var expander = EventExpander(calendar: cal, window: window)
            out += expander.run()
        }
        return out
    }
}

/// Expands the events of one VCALENDAR.
struct EventExpander {
    let calendar: ICalComponent
    let window: TimeWindow
    var zones: ICalZoneResolver
    let methodCancel: Bool

    init(calendar: ICalComponent, window: TimeWindow) {
        self.calendar = calendar
        self.window = window
        self.zones = ICalZoneResolver(calendar: calendar, horizon: window.toSeconds + 3 * 366 * 86400)
        self.methodCancel = calendar.property("METHOD")?.value.trimmingSpaces().uppercased() == "CANCEL"
        let wr = calendar.property("X-WR-TIMEZONE")?.value.trimmingSpaces()
        self.floatingZone = wr?.isEmpty == false ? wr : nil
    }

    /// X-WR-TIMEZONE (Google Calendar, Apple): the zone of the calendar's floating times.
    let floatingZone: String?

    /// One VEVENT's facts, ready to place occurrences.
    struct Event {
        var component: ICalComponent
        var uid: String
        var start: ICalTime
        var zone: ICalZone
        /// Duration added to the local start (wall clock), or to the UTC start when `absolute`.
        var duration: Int
        var absolute: Bool
        var organizer: String?
        var attendees: [ActivityAttendee]
        var cancelled: Bool
    }

    mutating func run() -> [ActivityMeeting] {
        var masters: [Event] = []
        var masterIndex: [String: (index: Int, sequence: Int)] = [:]
        var overrides: [String: [(Int, Event)]] = [:]
        for comp in calendar.children where comp.name == "VEVENT" {
            guard let ev = event(comp) else { continue }
            if let rid = comp.property("RECURRENCE-ID"), let t = ICalTime.parse(rid) {
                overrides[ev.uid, default: []].append((utc(t, defaultZone: ev.zone), ev))
                continue
            }
            // A UID defined twice (an edited series written again): the higher SEQUENCE, else the later one, wins.
            let sequence = comp.property("SEQUENCE").flatMap { Int($0.value.trimmingSpaces()) } ?? 0
            if !ev.uid.isEmpty, let prior = masterIndex[ev.uid] {
                if sequence >= prior.sequence {
                    masters[prior.index] = ev
                    masterIndex[ev.uid] = (prior.index, sequence)
                }
                continue
            }
            masterIndex[ev.uid] = (masters.count, sequence)
            masters.append(ev)
        }
        var out: [ActivityMeeting] = []
        var excluded: [String: (utc: Set<Int>, days: Set<Int>, zone: ICalZone)] = [:]
        for m in masters {
            let replaced = Set(overrides[m.uid]?.map(\.0) ?? [])
            let ex = exclusions(m)
            if !m.uid.isEmpty { excluded[m.uid] = (ex.utc, ex.days, m.zone) }
            expand(m, skipping: replaced, excluding: ex, into: &out)
        }
        for (uid, list) in overrides {
            for (rid, ev) in list {
                // An override of an occurrence its series excludes (EXDATE) was deleted: it does not take place.
                if let ex = excluded[uid],
                   ex.utc.contains(rid) || ex.days.contains(RecurrenceRule.floorDiv(ev.start.isDate ? rid : ex.zone.local(fromUTC: rid), 86400)) {
                    continue
                }
                let s = utc(ev.start, defaultZone: ev.zone)
                let e = end(of: ev, localStart: ev.start.local, utcStart: s)
                if window.overlaps(start: s, end: e) { out.append(meeting(ev, start: s, end: e, recurrenceID: rid)) }
            }
        }
        return out
    }

    mutating func event(_ c: ICalComponent) -> Event? {
        guard let sp = c.property("DTSTART"), var start = ICalTime.parse(sp) else { return nil }
        let zone = zoneOf(start)
        var duration = start.isDate ? 86400 : 0
        var absolute = false
        if let ep = c.property("DTEND"), let end = ICalTime.parse(ep) {
            if end.kind == start.kind || end.isDate || start.isDate {
                duration = end.local - start.local
            } else {
                duration = utc(end, defaultZone: zone) - utc(start, defaultZone: zone)
                absolute = true
            }
        } else if let dp = c.property("DURATION"), let d = ICalTime.parseDuration(dp.value) {
            duration = d
        }
        if duration < 0 && !absolute && !start.isDate {
            // DTEND before DTSTART: read the two swapped, as recurring-ical-events does.
            start = ICalTime(local: start.local + duration, kind: start.kind)
            duration = -duration
        }
        if duration < 0 { duration = 0 }
        let uid = c.property("UID")?.textValue.trimmingSpaces() ?? ""
        let organizer = c.property("ORGANIZER").flatMap { Self.address($0.value) }
        var attendees: [ActivityAttendee] = []
        for a in c.properties("ATTENDEE") {
            guard let addr = Self.address(a.value) else { continue }
            attendees.append(ActivityAttendee(
                address: addr,
                partstat: a.parameter("PARTSTAT")?.uppercased() ?? "NEEDS-ACTION",
                role: a.parameter("ROLE")?.uppercased() ?? "REQ-PARTICIPANT",
                cutype: a.parameter("CUTYPE")?.uppercased() ?? "INDIVIDUAL"))
        }
        let status = c.property("STATUS")?.value.trimmingSpaces().uppercased()
        return Event(component: c, uid: uid, start: start, zone: zone, duration: duration, absolute: absolute,
                     organizer: organizer, attendees: attendees, cancelled: status == "CANCELLED" || methodCancel)
    }

    /// A calendar user address as a lowercase email address; nil unless it has an `@`.
    static func address(_ raw: String) -> String? {
        var s = Substring(raw.trimmingSpaces())
        if s.count >= 7, s.prefix(7).lowercased() == "mailto:" { s = s.dropFirst(7) }
        let a = String(s).trimmingSpaces().lowercased()
        guard let at = a.firstIndex(of: "@"), at != a.startIndex, a.index(after: at) != a.endIndex,
              !a.contains(" ")
        else { return nil }
        return a
    }

    mutating func zoneOf(_ t: ICalTime) -> ICalZone {
        if case .zoned(let id) = t.kind { return zones.zone(id) }
        if t.kind == .floating, let wr = floatingZone { return zones.zone(wr) }
        return .utc
    }

    /// The UTC instant of a value; floating values take `defaultZone` (the event's).
    mutating func utc(_ t: ICalTime, defaultZone: ICalZone) -> Int {
        switch t.kind {
        case .date, .utc: return t.local
        case .floating: return defaultZone.utc(fromLocal: t.local)
        case .zoned(let id): return zones.zone(id).utc(fromLocal: t.local)
        }
    }

    func end(of ev: Event, localStart: Int, utcStart: Int, duration: Int? = nil) -> Int {
        let d = duration ?? ev.duration
        if ev.absolute || ev.start.isDate { return utcStart + d }
        return ev.zone.utc(fromLocal: localStart + d)
    }

    /// The EXDATEs of a series: UTC instants, and whole days (DATE values).
    mutating func exclusions(_ ev: Event) -> (utc: Set<Int>, days: Set<Int>) {
        var exUTC = Set<Int>()
        var exDays = Set<Int>()
        for p in ev.component.properties("EXDATE") {
            for raw in p.value.split(separator: ",") {
                guard let t = ICalTime.parse(String(raw), tzid: p.parameter("TZID"), valueType: p.parameter("VALUE")) else { continue }
                if t.isDate { exDays.insert(t.local / 86400) } else { exUTC.insert(utc(t, defaultZone: ev.zone)) }
            }
        }
        return (exUTC, exDays)
    }

    mutating func expand(_ ev: Event, skipping replaced: Set<Int>, excluding: (utc: Set<Int>, days: Set<Int>), into out: inout [ActivityMeeting]) {
        let c = ev.component
        let rrules = c.properties("RRULE").compactMap { RecurrenceRule.parse($0.value) }
        let rdates = c.properties("RDATE")
        guard !rrules.isEmpty || !rdates.isEmpty else {
            let s = utc(ev.start, defaultZone: ev.zone)
            let e = end(of: ev, localStart: ev.start.local, utcStart: s)
            if window.overlaps(start: s, end: e) { out.append(meeting(ev, start: s, end: e, recurrenceID: nil)) }
            return
        }
        // (local start, explicit duration) of every candidate occurrence.
        var starts: [Int: Int?] = [ev.start.local: nil]
        let limit = window.toSeconds + 2 * 86400
        let skipBefore = window.fromSeconds - max(ev.duration, 0) - 2 * 86400
        for rule in rrules {
            let zone = ev.zone
            let until = rule.until
            let isPast: (Int) -> Bool
            switch until?.kind {
            case nil: isPast = { _ in false }
            case .utc?: let u = until!.local; isPast = { zone.utc(fromLocal: $0) > u }
            case .date?: let u = until!.local + 86399; isPast = { $0 > u }
            default: let u = until!.local; isPast = { $0 > u }
            }
            for s in rule.expand(start: ev.start.local, notAfter: limit, skipBefore: skipBefore, isPastUntil: isPast) {
                if starts[s] == nil { starts[s] = .some(nil) }
            }
        }
        for p in rdates {
            let tzid = p.parameter("TZID")
            for raw in p.value.split(separator: ",") {
                let parts = raw.split(separator: "/", maxSplits: 1)
                guard let t = ICalTime.parse(String(parts[0]), tzid: tzid, valueType: p.parameter("VALUE") == "PERIOD" ? nil : p.parameter("VALUE")) else { continue }
                var dur: Int?
                if parts.count == 2 {
                    if let d = ICalTime.parseDuration(String(parts[1])) {
                        dur = d
                    } else if let e = ICalTime.parse(String(parts[1]), tzid: tzid) {
                        dur = e.local - t.local
                    }
                }
                let key = zoneAdjusted(t, ev)
                if dur != nil || starts[key] == nil { starts[key] = dur }  // a PERIOD sets its own length
            }
        }
        let (exUTC, exDays) = excluding
        for local in starts.keys.sorted() {
            let s = ev.start.isDate ? local : ev.zone.utc(fromLocal: local)
            if exUTC.contains(s) || exDays.contains(RecurrenceRule.floorDiv(local, 86400)) { continue }
            if replaced.contains(s) { continue }
            let e = end(of: ev, localStart: local, utcStart: s, duration: starts[local] ?? nil)
            if window.overlaps(start: s, end: e) { out.append(meeting(ev, start: s, end: e, recurrenceID: s)) }
        }
    }

    /// RDATE values in another zone (or UTC) are moved to the event's wall clock.
    mutating func zoneAdjusted(_ t: ICalTime, _ ev: Event) -> Int {
        if ev.start.isDate { return t.isDate ? t.local : RecurrenceRule.floorDiv(t.local, 86400) * 86400 }
        switch t.kind {
        case .utc, .zoned: return ev.zone.local(fromUTC: utc(t, defaultZone: ev.zone))
        default: return t.local  // a DATE in a DATE-TIME series: midnight on the event's clock, as icalendar reads it
        }
    }

    func meeting(_ ev: Event, start: Int, end: Int, recurrenceID: Int?) -> ActivityMeeting {
        ActivityMeeting(
            uid: ev.uid,
            recurrenceID: recurrenceID.map { Date(timeIntervalSince1970: TimeInterval($0)) },
            organizer: ev.organizer,
            attendees: ev.attendees,
            start: Date(timeIntervalSince1970: TimeInterval(start)),
            end: Date(timeIntervalSince1970: TimeInterval(max(end, start))),
            allDay: ev.start.isDate,
            cancelled: ev.cancelled)
    }
}
