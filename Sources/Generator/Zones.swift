import Foundation

/// Time zone arithmetic for the generated world, on whole seconds since 1970 UTC.
enum Zones {
    static let byName: [String: TimeZone] = {
        var out: [String: TimeZone] = ["UTC": TimeZone(identifier: "UTC")!]
        for name in Vocabulary.timeZones { out[name] = TimeZone(identifier: name) ?? TimeZone(identifier: "UTC")! }
        return out
    }()

    /// The organization's own zone.
    static let home = "Europe/London"

    /// The zone's offset from UTC, in seconds, at an instant.
    static func offset(_ zone: String, at seconds: Int) -> Int {
        guard let tz = byName[zone] else { return 0 }
        return tz.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    /// The instant of a wall-clock time in a zone (the earlier one when the time is repeated).
    static func utc(fromLocal local: Int, zone: String) -> Int {
        let first = offset(zone, at: local)
        let second = offset(zone, at: local - first)
        return local - second
    }

    /// The wall-clock time in a zone of an instant, as seconds since 1970 "local".
    static func local(_ seconds: Int, zone: String) -> Int {
        seconds + offset(zone, at: seconds)
    }

    /// The Windows name Graph and Outlook use for an IANA zone.
    static func windowsName(_ zone: String) -> String {
        switch zone {
        case "Europe/London": return "GMT Standard Time"
        case "Europe/Berlin", "Europe/Amsterdam": return "W. Europe Standard Time"
        case "Europe/Paris": return "Romance Standard Time"
        case "America/New_York": return "Eastern Standard Time"
        case "America/Chicago": return "Central Standard Time"
        case "America/Los_Angeles": return "Pacific Standard Time"
        case "Asia/Singapore": return "Singapore Standard Time"
        default: return "UTC"
        }
    }
}
