import Foundation

/// Writes one selected mailbox's calendar as iCalendar (RFC 5545, CRLF, lines folded at 75 octets).
///
/// A series is its master (RRULE with COUNT, EXDATE) and one override per
/// moved or cancelled occurrence (RECURRENCE-ID; STATUS:CANCELLED). Times
/// are UTC (`Z`), a TZID with its VTIMEZONE, or DATE values for all-day
/// events. ORGANIZER and ATTENDEE carry CN, and ATTENDEE CUTYPE, ROLE and
/// PARTSTAT.
enum ICalendarWriter {
    static func calendar(name: String, events: [GeneratedEvent], stamp: Int) -> [UInt8] {
        var lines: [String] = [
            "BEGIN:VCALENDAR", "PRODID:-//Rapport//Synthetic organization 1.0//EN", "VERSION:2.0", "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH", "X-WR-CALNAME:\(text(name))",
        ]
        var zones: [String] = []
        for event in events where event.zone != "UTC" && !zones.contains(event.zone) { zones.append(event.zone) }
        for zone in zones.sorted() { lines += timeZone(zone) }
        for event in events {
            lines += vevent(event, stamp: stamp, override: nil)
            if let recurrence = event.recurrence {
                let originals = event.originalStarts()
                let overridden = (Array(recurrence.moved.keys) + recurrence.cancelled).sorted()
                for index in overridden where !recurrence.excluded.contains(index) {
                    lines += vevent(event, stamp: stamp, override: (index, originals[index]))
                }
            }
        }
        lines.append("END:VCALENDAR")
        var out: [UInt8] = []
        for line in lines { fold(line, into: &out) }
        return out
    }

    static func vevent(_ event: GeneratedEvent, stamp: Int, override: (index: Int, original: Int)?) -> [String] {
        var lines = ["BEGIN:VEVENT", "UID:\(event.uid)", "DTSTAMP:\(TextFormats.icalDateTime(stamp, utc: true))"]
        var start = event.start
        var cancelled = event.cancelled
        if let override, let recurrence = event.recurrence {
            lines.append("RECURRENCE-ID\(time(override.original, event))")
            lines.append("SEQUENCE:1")
            start = recurrence.moved[override.index] ?? override.original
            cancelled = cancelled || recurrence.cancelled.contains(override.index)
        } else {
            lines.append("SEQUENCE:0")
        }
        if event.allDay {
            lines.append("DTSTART;VALUE=DATE:\(TextFormats.icalDate(start))")
            lines.append("DTEND;VALUE=DATE:\(TextFormats.icalDate(start + event.duration))")
        } else {
            lines.append("DTSTART\(time(start, event))")
            lines.append("DTEND\(time(start + event.duration, event))")
        }
        if override == nil, let recurrence = event.recurrence {
            lines.append("RRULE:FREQ=\(recurrence.frequency.rawValue);COUNT=\(recurrence.count)")
            if !recurrence.excluded.isEmpty {
                let originals = event.originalStarts()
                let values = recurrence.excluded.map { time(originals[$0], event).split(separator: ":").last.map(String.init)! }
                let parameter = event.zone == "UTC" ? "" : ";TZID=\(event.zone)"
                lines.append("EXDATE\(parameter):\(values.joined(separator: ","))")
            }
        }
        lines.append("SUMMARY:\(text((cancelled && override == nil ? "Canceled: " : "") + event.subject))")
        if let room = event.attendees.first(where: { $0.person.isRoom }) { lines.append("LOCATION:\(text(room.person.name))") }
        lines.append("ORGANIZER;CN=\(parameter(event.organizer.name)):mailto:\(event.organizer.address)")
        for attendee in event.attendees {
            lines.append(
                "ATTENDEE;CUTYPE=\(attendee.cutype);ROLE=\(attendee.role);PARTSTAT=\(attendee.partstat);RSVP=TRUE;CN=\(parameter(attendee.person.name)):mailto:\(attendee.person.address)")
        }
        lines.append("STATUS:\(cancelled ? "CANCELLED" : "CONFIRMED")")
        lines.append("TRANSP:OPAQUE")
        lines.append("END:VEVENT")
        return lines
    }

    /// `;TZID=Zone:20240109T100000` or `:20240109T100000Z`.
    static func time(_ seconds: Int, _ event: GeneratedEvent) -> String {
        if event.zone == "UTC" { return ":\(TextFormats.icalDateTime(seconds, utc: true))" }
        return ";TZID=\(event.zone):\(TextFormats.icalDateTime(Zones.local(seconds, zone: event.zone), utc: false))"
    }

    /// A TEXT value with `\`, `;`, `,` and newlines escaped.
    static func text(_ value: String) -> String {
        var out = ""
        for c in value {
            switch c {
            case "\\", ";", ",": out += "\\\(c)"
            case "\n": out += "\\n"
            default: out.append(c)
            }
        }
        return out
    }

    /// A parameter value, quoted when it holds `:`, `;` or `,`.
    static func parameter(_ value: String) -> String {
        let clean = value.replacingOccurrences(of: "\"", with: "'")
        return clean.contains(where: { $0 == ":" || $0 == ";" || $0 == "," }) ? "\"\(clean)\"" : clean
    }

    /// Appends a content line, folded after 75 octets without splitting a UTF-8 sequence, and CRLF.
    static func fold(_ line: String, into out: inout [UInt8]) {
        let bytes = Array(line.utf8)
        var start = 0
        var limit = 75
        while bytes.count - start > limit {
            var cut = start + limit
            while cut > start, bytes[cut] & 0xC0 == 0x80 { cut -= 1 }
            out += bytes[start..<cut]
            out += [0x0D, 0x0A, 0x20]
            start = cut
            limit = 74
        }
        out += bytes[start...]
        out += [0x0D, 0x0A]
    }

    /// A VTIMEZONE for the zones the generator uses (current rules since 1970).
    static func timeZone(_ zone: String) -> [String] {
        func rule(_ kind: String, _ from: String, _ to: String, _ name: String, _ start: String, _ rrule: String?) -> [String] {
            ["BEGIN:\(kind)", "TZOFFSETFROM:\(from)", "TZOFFSETTO:\(to)", "TZNAME:\(name)", "DTSTART:\(start)"]
                + (rrule.map { ["RRULE:\($0)"] } ?? []) + ["END:\(kind)"]
        }
        let euSummer = "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"
        let euWinter = "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"
        let usSummer = "FREQ=YEARLY;BYMONTH=3;BYDAY=2SU"
        let usWinter = "FREQ=YEARLY;BYMONTH=11;BYDAY=1SU"
        var body: [String]
        switch zone {
        case "Europe/London":
            body = rule("DAYLIGHT", "+0000", "+0100", "BST", "19700329T010000", euSummer)
                + rule("STANDARD", "+0100", "+0000", "GMT", "19701025T020000", euWinter)
        case "Europe/Berlin", "Europe/Paris", "Europe/Amsterdam":
            body = rule("DAYLIGHT", "+0100", "+0200", "CEST", "19700329T020000", euSummer)
                + rule("STANDARD", "+0200", "+0100", "CET", "19701025T030000", euWinter)
        case "America/New_York":
            body = rule("DAYLIGHT", "-0500", "-0400", "EDT", "19700308T020000", usSummer)
                + rule("STANDARD", "-0400", "-0500", "EST", "19701101T020000", usWinter)
        case "America/Chicago":
            body = rule("DAYLIGHT", "-0600", "-0500", "CDT", "19700308T020000", usSummer)
                + rule("STANDARD", "-0500", "-0600", "CST", "19701101T020000", usWinter)
        case "America/Los_Angeles":
            body = rule("DAYLIGHT", "-0800", "-0700", "PDT", "19700308T020000", usSummer)
                + rule("STANDARD", "-0700", "-0800", "PST", "19701101T020000", usWinter)
        default:
            body = rule("STANDARD", "+0800", "+0800", "+08", "19700101T000000", nil)
        }
        return ["BEGIN:VTIMEZONE", "TZID:\(zone)"] + body + ["END:VTIMEZONE"]
    }
}
