import Foundation
import Ingest

/// Date and time texts of the output formats, from whole seconds since 1970 UTC.
enum TextFormats {
    static let dayNames = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func parts(_ seconds: Int) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, weekday: Int) {
        let day = RecurrenceDays.floorDiv(seconds, 86_400)
        let time = seconds - day * 86_400
        let (y, m, d) = CivilTime.civil(days: day)
        return (y, m, d, time / 3_600, time % 3_600 / 60, time % 60, CivilTime.weekday(days: day))
    }

    static func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }

    static func four(_ v: Int) -> String { String(repeating: "0", count: max(0, 4 - String(v).count)) + String(v) }

    /// `2024-01-09T09:00:00Z`.
    static func rfc3339(_ seconds: Int) -> String { RFC3339.string(seconds) }

    /// RFC 5322 `Tue, 09 Jan 2024 09:00:00 +0100`, in the zone's offset at that instant.
    static func mailDate(_ seconds: Int, zone: String) -> String {
        let offset = Zones.offset(zone, at: seconds)
        let p = parts(seconds + offset)
        let sign = offset < 0 ? "-" : "+"
        let magnitude = abs(offset) / 60
        return "\(dayNames[p.weekday]), \(two(p.day)) \(monthNames[p.month - 1]) \(p.year) \(two(p.hour)):\(two(p.minute)):\(two(p.second)) \(sign)\(two(magnitude / 60))\(two(magnitude % 60))"
    }

    /// The mbox envelope date, asctime style in UTC: `Tue Jan  9 09:00:00 2024`.
    static func envelopeDate(_ seconds: Int) -> String {
        let p = parts(seconds)
        let day = p.day < 10 ? " \(p.day)" : "\(p.day)"
        return "\(dayNames[p.weekday]) \(monthNames[p.month - 1]) \(day) \(two(p.hour)):\(two(p.minute)):\(two(p.second)) \(p.year)"
    }

    /// iCalendar basic format of a wall-clock time: `20240109T090000` (with `Z` when `utc`).
    static func icalDateTime(_ seconds: Int, utc: Bool) -> String {
        let p = parts(seconds)
        return "\(four(p.year))\(two(p.month))\(two(p.day))T\(two(p.hour))\(two(p.minute))\(two(p.second))\(utc ? "Z" : "")"
    }

    /// iCalendar DATE: `20240109`.
    static func icalDate(_ seconds: Int) -> String {
        let p = parts(seconds)
        return "\(four(p.year))\(two(p.month))\(two(p.day))"
    }

    /// Graph's dateTimeTimeZone wall time: `2024-01-09T09:00:00.0000000`.
    static func graphDateTime(_ seconds: Int) -> String {
        let p = parts(seconds)
        return "\(four(p.year))-\(two(p.month))-\(two(p.day))T\(two(p.hour)):\(two(p.minute)):\(two(p.second)).0000000"
    }
}
