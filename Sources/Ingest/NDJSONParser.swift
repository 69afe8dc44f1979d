import Engagement
import Foundation

/// Reads the NDJSON push format: one email or meeting record per line (`schemas/activity-record.schema.json`).
///
/// Blank lines are skipped. A bad line yields an `IngestError` naming its
/// line number and the field (`to[2]`, `attendees[0].address`); the other
/// lines are still read. Addresses are lowercased and message ids lose
/// their angle brackets, so records come out as `rapport parse` prints them.
public enum NDJSONParser {
    /// Parses every line of an in-memory batch.
    public static func parse(_ bytes: [UInt8]) -> (records: [ActivityRecord], errors: [IngestError]) {
        var records: [ActivityRecord] = []
        var errors: [IngestError] = []
        _ = bytes.withUnsafeBytes { buf in
            forEachLine(in: buf, firstLine: 1) { n, line in
                do throws(IngestError) { records.append(try record(line, line: n)) } catch { errors.append(error) }
            }
        }
        return (records, errors)
    }

    /// Calls `body` with each non-blank line and its 1-based number; returns the number of the last line.
    @discardableResult
    static func forEachLine(in buf: UnsafeRawBufferPointer, firstLine: Int, _ body: (Int, UnsafeRawBufferPointer) -> Void) -> Int {
        var n = firstLine
        var start = 0
        while start < buf.count {
            var end = start
            while end < buf.count, buf[end] != 0x0A { end += 1 }
            var e = end
            if e > start, buf[e - 1] == 0x0D { e -= 1 }
            var blank = true
            var k = start
            while k < e { if buf[k] > 0x20 { blank = false; break }; k += 1 }
            if !blank { body(n, UnsafeRawBufferPointer(rebasing: buf[start..<e])) }
            start = end + 1
            if end < buf.count { n += 1 }
        }
        return n
    }

    static let emailFields: [String] = [
        "kind", "message_id", "from", "sender", "to", "cc", "bcc", "sent_at", "in_reply_to", "references",
        "bulk", "auto_submitted", "conversation_id",
    ]
    static let meetingFields: [String] = [
        "kind", "uid", "recurrence_id", "organizer", "attendees", "start", "end", "all_day", "cancelled",
    ]
    static let attendeeFields: [String] = ["address", "partstat", "role", "cutype"]

    /// Parses one line into a record.
    public static func record(_ line: UnsafeRawBufferPointer, line n: Int) throws(IngestError) -> ActivityRecord {
        let value: JSONValue
        do throws(JSONParser.Failure) {
            value = try JSONParser.parse(line)
        } catch {
            throw IngestError(.malformed, "invalid JSON at byte \(error.offset + 1): \(error.message)", line: n)
        }
        guard let obj = value.objectValue else { throw IngestError(.malformed, "a record must be a JSON object", line: n) }
        let r = Reader(obj: obj, line: n, path: "")
        let kind = try r.string("kind")
        switch kind {
        case "email":
            try r.onlyKnown(emailFields)
            var e = ActivityEmail()
            e.messageID = try r.optString("message_id").map(stripBrackets)
            e.from = try r.optAddress("from")
            e.sender = try r.optAddress("sender")
            e.to = try r.addresses("to")
            e.cc = try r.addresses("cc")
            e.bcc = try r.addresses("bcc")
            e.sentAt = try r.optTime("sent_at")
            e.inReplyTo = try r.strings("in_reply_to").map(stripBrackets)
            e.references = try r.strings("references").map(stripBrackets)
            e.autoSubmitted = try r.optBool("auto_submitted") ?? false
            e.bulk = try r.optBool("bulk") ?? e.autoSubmitted
            e.conversationID = try r.optString("conversation_id")
            return .email(e)
        case "meeting":
            try r.onlyKnown(meetingFields)
            let uid = try r.string("uid")
            guard !uid.isEmpty else { throw r.error(.invalidField, "must not be empty", "uid") }
            let start = try r.time("start")
            let end = try r.time("end")
            guard end >= start else { throw r.error(.invalidField, "ends before it starts", "end") }
            var attendees: [ActivityAttendee] = []
            if let list = obj["attendees"], !list.isNull {
                guard let arr = list.arrayValue else { throw r.error(.invalidField, "must be an array", "attendees") }
                for (k, item) in arr.enumerated() {
                    let path = "attendees[\(k)]"
                    guard let o = item.objectValue else { throw r.error(.invalidField, "must be an object", path) }
                    let ar = Reader(obj: o, line: n, path: path + ".")
                    try ar.onlyKnown(attendeeFields)
                    guard let addr = try ar.optAddress("address") else { throw ar.error(.missingField, "is required", "address") }
                    attendees.append(ActivityAttendee(
                        address: addr, partstat: try ar.optString("partstat")?.uppercased(),
                        role: try ar.optString("role")?.uppercased(), cutype: try ar.optString("cutype")?.uppercased()))
                }
            }
            return .meeting(ActivityMeeting(
                uid: uid, recurrenceID: try r.optTime("recurrence_id"), organizer: try r.optAddress("organizer"),
                attendees: attendees, start: start, end: end,
                allDay: try r.optBool("all_day") ?? false, cancelled: try r.optBool("cancelled") ?? false))
        default:
            throw r.error(.invalidField, "must be \"email\" or \"meeting\"", "kind")
        }
    }

    static func stripBrackets(_ s: String) -> String {
        var t = Substring(s.trimmingSpaces())
        if t.first == "<" { t.removeFirst() }
        if t.last == ">" { t.removeLast() }
        return String(t)
    }

    /// Reads typed fields of one JSON object, with errors naming the field.
    struct Reader {
        let obj: JSONObject
        let line: Int
        let path: String

        func error(_ code: IngestError.Code, _ message: String, _ field: String) -> IngestError {
            IngestError(code, "\(path)\(field) \(message)", line: line, field: path + field)
        }

        func onlyKnown(_ known: [String]) throws(IngestError) {
            members: for m in obj.members {
                let n = m.key.utf8.count
                for k in known where k.utf8.count == n && k == m.key { continue members }
                throw error(.invalidField, "is not a field of this record", m.key)
            }
        }

        func string(_ key: String) throws(IngestError) -> String {
            guard let v = obj[key], !v.isNull else { throw error(.missingField, "is required", key) }
            guard let s = v.stringValue else { throw error(.invalidField, "must be a string, not \(v.typeName)", key) }
            return s
        }

        func optString(_ key: String) throws(IngestError) -> String? {
            guard let v = obj[key], !v.isNull else { return nil }
            guard let s = v.stringValue else { throw error(.invalidField, "must be a string or null, not \(v.typeName)", key) }
            return s
        }

        func optBool(_ key: String) throws(IngestError) -> Bool? {
            guard let v = obj[key], !v.isNull else { return nil }
            guard let b = v.boolValue else { throw error(.invalidField, "must be true or false, not \(v.typeName)", key) }
            return b
        }

        func strings(_ key: String) throws(IngestError) -> [String] {
            guard let v = obj[key], !v.isNull else { return [] }
            guard let arr = v.arrayValue else { throw error(.invalidField, "must be an array of strings", key) }
            var out: [String] = []
            out.reserveCapacity(arr.count)
            for (k, item) in arr.enumerated() {
                guard let s = item.stringValue else { throw error(.invalidField, "must be a string, not \(item.typeName)", "\(key)[\(k)]") }
                out.append(s)
            }
            return out
        }

        func optAddress(_ key: String) throws(IngestError) -> String? {
            guard let s = try optString(key) else { return nil }
            guard let a = Self.normalizeAddress(s) else { throw error(.invalidField, "is not an email address: \(s.debugDescription)", key) }
            return a
        }

        func addresses(_ key: String) throws(IngestError) -> [String] {
            var out: [String] = []
            for (k, s) in try strings(key).enumerated() {
                guard let a = Self.normalizeAddress(s) else { throw error(.invalidField, "is not an email address: \(s.debugDescription)", "\(key)[\(k)]") }
                out.append(a)
            }
            return out
        }

        func time(_ key: String) throws(IngestError) -> Date {
            guard let t = try optTime(key) else { throw error(.missingField, "is required", key) }
            return t
        }

        func optTime(_ key: String) throws(IngestError) -> Date? {
            guard let s = try optString(key) else { return nil }
            guard let secs = RFC3339.parse(s) else { throw error(.invalidField, "is not an RFC 3339 date-time: \(s.debugDescription)", key) }
            return Date(timeIntervalSince1970: TimeInterval(secs))
        }

        /// Lowercase `local@domain`, or nil when the text is not one address.
        static func normalizeAddress(_ s: String) -> String? {
            // Fast path: plain lowercase ASCII with one '@' inside and nothing to trim.
            var at = -1
            var ok = true
            var i = 0
            for b in s.utf8 {
                switch b {
                case UInt8(ascii: "@"): if at >= 0 { ok = false }; at = i
                case 0x21...0x7E where !(b >= 0x41 && b <= 0x5A) && b != 0x3C && b != 0x3E && b != 0x2C: break
                default: ok = false
                }
                if !ok { break }
                i += 1
            }
            if ok && at > 0 && at < i - 1 { return s }
            let t = s.trimmingSpaces().lowercased()
            guard let at = t.lastIndex(of: "@"), at != t.startIndex, t.index(after: at) != t.endIndex,
                  !t.contains(where: { $0 == " " || $0 == "<" || $0 == ">" || $0 == "," || $0.isNewline })
            else { return nil }
            return t
        }
    }
}
