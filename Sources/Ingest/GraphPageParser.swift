import Engagement
import Foundation

/// Parses Microsoft Graph JSON pages of `message` and `event` resources.
///
/// Bodies (`body`, `uniqueBody`, `bodyPreview`) and subjects are skipped
/// while parsing, never built. An item's kind comes from `@odata.type`, else
/// from its fields. A `seriesMaster` event is not a meeting occurrence and
/// is skipped (calendarView and its delta deliver each occurrence). Event
/// times (`dateTimeTimeZone`) are resolved through the zone name, which may
/// be `UTC`, an IANA name or a Windows name; an unknown name counts as UTC.
public enum GraphPageParser {
    static let skipped: Set<String> = ["body", "uniqueBody", "bodyPreview", "subject"]

    /// Parses one page; `window` (if given) keeps only event occurrences overlapping it.
    public static func parse(_ bytes: [UInt8], window: TimeWindow? = nil) throws(IngestError) -> GraphPage {
        let value: JSONValue
        do throws(JSONParser.Failure) {
            value = try JSONParser.parse(bytes, skippedKeys: skipped)
        } catch {
            throw IngestError(.malformed, "invalid JSON at byte \(error.offset + 1): \(error.message)")
        }
        guard let obj = value.objectValue else { throw IngestError(.malformed, "a Graph page is a JSON object") }
        var page = GraphPage()
        page.nextLink = obj["@odata.nextLink"]?.stringValue
        page.deltaLink = obj["@odata.deltaLink"]?.stringValue
        let items: [JSONValue]
        if let v = obj["value"] {
            guard let arr = v.arrayValue else { throw IngestError(.invalidField, "must be an array", field: "value") }
            items = arr
        } else if obj["@odata.type"] != nil || obj["id"] != nil {
            items = [value]  // a single resource
        } else {
            throw IngestError(.missingField, "a Graph page has a \"value\" array", field: "value")
        }
        var zones = GraphZones()
        for (k, item) in items.enumerated() {
            guard let o = item.objectValue else { throw IngestError(.invalidField, "must be an object", field: "value[\(k)]") }
            if o["@removed"] != nil {
                if let id = o["id"]?.stringValue { page.removedIDs.append(id) }
                continue
            }
            let type = o["@odata.type"]?.stringValue?.lowercased() ?? ""
            let isEvent = type.hasSuffix(".event") || (!type.hasSuffix(".message")
                && (o["start"] != nil || o["iCalUId"] != nil || o["attendees"] != nil))
            if isEvent {
                if let m = meeting(o, zones: &zones), window.map({ $0.overlaps(start: Int(m.start.timeIntervalSince1970), end: Int(m.end.timeIntervalSince1970)) }) ?? true {
                    page.records.append(.meeting(m))
                }
            } else {
                page.records.append(.email(email(o)))
            }
        }
        return page
    }

    static func address(_ v: JSONValue?) -> String? {
        guard let a = v?.objectValue?["emailAddress"]?.objectValue?["address"]?.stringValue else { return nil }
        return NDJSONParser.Reader.normalizeAddress(a)
    }

    static func recipients(_ v: JSONValue?) -> [String] {
        (v?.arrayValue ?? []).compactMap { address($0) }
    }

    static func email(_ o: JSONObject) -> ActivityEmail {
        // Headers first (In-Reply-To, References, List-*, Precedence, Auto-Submitted), then Graph's own fields win.
        var fields = MailHeaderFields()
        if let headers = o["internetMessageHeaders"]?.arrayValue {
            var block: [UInt8] = []
            for h in headers {
                guard let ho = h.objectValue, let name = ho["name"]?.stringValue, let value = ho["value"]?.stringValue,
                      !name.contains(where: { $0 == ":" || $0.isNewline || $0 == " " })
                else { continue }
                block += Array(name.utf8) + [UInt8(ascii: ":"), 0x20]
                block += value.utf8.map { $0 == 0x0A || $0 == 0x0D ? 0x20 : $0 }
                block += [0x0D, 0x0A]
            }
            block += [0x0D, 0x0A]
            fields = block.withUnsafeBytes { MailHeaderFields.parse($0) }
        }
        var e = MailMessageParser.record(from: fields)
        if let f = address(o["from"]) { e.from = f }
        if let s = address(o["sender"]) { e.sender = s }
        if o["toRecipients"] != nil { e.to = recipients(o["toRecipients"]) }
        if o["ccRecipients"] != nil { e.cc = recipients(o["ccRecipients"]) }
        if o["bccRecipients"] != nil { e.bcc = recipients(o["bccRecipients"]) }
        if let s = o["sentDateTime"]?.stringValue, let t = RFC3339.parse(s) { e.sentAt = Date(timeIntervalSince1970: TimeInterval(t)) }
        if let id = o["internetMessageId"]?.stringValue, let first = MessageIDParser.parse(Array(id.utf8)).first { e.messageID = first }
        e.conversationID = o["conversationId"]?.stringValue
        return e
    }

    static let responses: [String: String] = [
        "accepted": "ACCEPTED", "tentativelyaccepted": "TENTATIVE", "declined": "DECLINED",
        "none": "NEEDS-ACTION", "notresponded": "NEEDS-ACTION", "organizer": "ACCEPTED",
    ]

    static func meeting(_ o: JSONObject, zones: inout GraphZones) -> ActivityMeeting? {
        if o["type"]?.stringValue?.lowercased() == "seriesmaster" { return nil }
        let allDay = o["isAllDay"]?.boolValue ?? false
        guard let start = zones.instant(o["start"], allDay: allDay) else { return nil }
        let end = zones.instant(o["end"], allDay: allDay) ?? start
        var attendees: [ActivityAttendee] = []
        for a in o["attendees"]?.arrayValue ?? [] {
            guard let ao = a.objectValue, let addr = address(a) else { continue }
            let type = ao["type"]?.stringValue?.lowercased()
            let response = ao["status"]?.objectValue?["response"]?.stringValue?.lowercased()
            attendees.append(ActivityAttendee(
                address: addr,
                partstat: response.flatMap { responses[$0] } ?? "NEEDS-ACTION",
                role: type == "optional" ? "OPT-PARTICIPANT" : type == "resource" ? "NON-PARTICIPANT" : "REQ-PARTICIPANT",
                cutype: type == "resource" ? "RESOURCE" : "INDIVIDUAL"))
        }
        let kind = o["type"]?.stringValue?.lowercased()
        var recurrenceID: Date?
        if kind == "occurrence" || kind == "exception" {
            let original = o["originalStart"]?.stringValue.flatMap { RFC3339.parse($0) } ?? start
            recurrenceID = Date(timeIntervalSince1970: TimeInterval(original))
        }
        return ActivityMeeting(
            uid: o["iCalUId"]?.stringValue ?? o["id"]?.stringValue ?? "",
            recurrenceID: recurrenceID,
            organizer: address(o["organizer"]),
            attendees: attendees,
            start: Date(timeIntervalSince1970: TimeInterval(start)),
            end: Date(timeIntervalSince1970: TimeInterval(max(end, start))),
            allDay: allDay,
            cancelled: o["isCancelled"]?.boolValue ?? false)
    }
}

/// Resolves Graph `dateTimeTimeZone` values, caching zones by name.
struct GraphZones {
    var cache: [String: ICalZone] = [:]

    mutating func zone(_ name: String) -> ICalZone {
        if let z = cache[name] { return z }
        let z: ICalZone
        if name.isEmpty || name.uppercased() == "UTC" {
            z = .utc
        } else {
            z = ICalZone.named(name) ?? WindowsZones.ianaByWindowsName[name].flatMap(ICalZone.named) ?? .utc
        }
        cache[name] = z
        return z
    }

    /// Seconds since 1970 UTC of a dateTimeTimeZone; all-day values are the date at midnight UTC.
    mutating func instant(_ v: JSONValue?, allDay: Bool) -> Int? {
        guard let o = v?.objectValue, let dt = o["dateTime"]?.stringValue else { return nil }
        // The wall-clock part, without any offset Graph might add.
        let wall = dt.count >= 19 ? String(dt.prefix(19)) : dt
        guard let local = RFC3339.parse(wall) else { return nil }
        if allDay { return RecurrenceRule.floorDiv(local, 86400) * 86400 }
        if dt.hasSuffix("Z") || dt.dropFirst(19).contains("+") || dt.dropFirst(19).contains("-") {
            return RFC3339.parse(dt)
        }
        return zone(o["timeZone"]?.stringValue ?? "UTC").utc(fromLocal: local)
    }
}
