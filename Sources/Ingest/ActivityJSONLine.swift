import Engagement
import Foundation

/// Writes activity records as the one-line JSON objects of `rapport parse` and the NDJSON push format.
///
/// Hand-rolled for speed: keys in a fixed order, times as RFC 3339 UTC with
/// `Z` (whole seconds), strings escaped per RFC 8259.
public enum ActivityJSONLine {
    /// Appends one record and a newline to `out`.
    public static func append(_ record: ActivityRecord, to out: inout [UInt8]) {
        switch record {
        case .email(let e): append(e, to: &out)
        case .meeting(let m): append(m, to: &out)
        }
        out.append(0x0A)
    }

    public static func line(_ record: ActivityRecord) -> String {
        var out: [UInt8] = []
        append(record, to: &out)
        out.removeLast()
        return String(decoding: out, as: UTF8.self)
    }

    static func append(_ e: ActivityEmail, to out: inout [UInt8]) {
        raw("{\"kind\":\"email\",\"message_id\":", &out)
        optString(e.messageID, &out)
        raw(",\"from\":", &out)
        optString(e.from, &out)
        raw(",\"sender\":", &out)
        optString(e.sender, &out)
        raw(",\"to\":", &out)
        strings(e.to, &out)
        raw(",\"cc\":", &out)
        strings(e.cc, &out)
        raw(",\"bcc\":", &out)
        strings(e.bcc, &out)
        raw(",\"sent_at\":", &out)
        optTime(e.sentAt, &out)
        raw(",\"in_reply_to\":", &out)
        strings(e.inReplyTo, &out)
        raw(",\"references\":", &out)
        strings(e.references, &out)
        raw(e.bulk ? ",\"bulk\":true" : ",\"bulk\":false", &out)
        raw(e.autoSubmitted ? ",\"auto_submitted\":true" : ",\"auto_submitted\":false", &out)
        raw(",\"conversation_id\":", &out)
        optString(e.conversationID, &out)
        out.append(UInt8(ascii: "}"))
    }

    static func append(_ m: ActivityMeeting, to out: inout [UInt8]) {
        raw("{\"kind\":\"meeting\",\"uid\":", &out)
        string(m.uid, &out)
        raw(",\"recurrence_id\":", &out)
        optTime(m.recurrenceID, &out)
        raw(",\"organizer\":", &out)
        optString(m.organizer, &out)
        raw(",\"attendees\":[", &out)
        for (k, a) in m.attendees.enumerated() {
            if k > 0 { out.append(UInt8(ascii: ",")) }
            raw("{\"address\":", &out)
            string(a.address, &out)
            raw(",\"partstat\":", &out)
            optString(a.partstat, &out)
            raw(",\"role\":", &out)
            optString(a.role, &out)
            raw(",\"cutype\":", &out)
            optString(a.cutype, &out)
            out.append(UInt8(ascii: "}"))
        }
        raw("],\"start\":", &out)
        optTime(m.start, &out)
        raw(",\"end\":", &out)
        optTime(m.end, &out)
        raw(m.allDay ? ",\"all_day\":true" : ",\"all_day\":false", &out)
        raw(m.cancelled ? ",\"cancelled\":true}" : ",\"cancelled\":false}", &out)
    }

    @inline(__always) static func raw(_ s: StaticString, _ out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    static func optTime(_ d: Date?, _ out: inout [UInt8]) {
        guard let d else { raw("null", &out); return }
        out.append(UInt8(ascii: "\""))
        RFC3339.append(Int(d.timeIntervalSince1970.rounded(.down)), to: &out)
        out.append(UInt8(ascii: "\""))
    }

    static func optString(_ s: String?, _ out: inout [UInt8]) {
        if let s { string(s, &out) } else { raw("null", &out) }
    }

    static func strings(_ list: [String], _ out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        for (k, s) in list.enumerated() {
            if k > 0 { out.append(UInt8(ascii: ",")) }
            string(s, &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    static func string(_ s: String, _ out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { u in
            for b in u {
                switch b {
                case UInt8(ascii: "\""): out.append(0x5C); out.append(b)
                case UInt8(ascii: "\\"): out.append(0x5C); out.append(b)
                case 0x0A: out.append(0x5C); out.append(UInt8(ascii: "n"))
                case 0x0D: out.append(0x5C); out.append(UInt8(ascii: "r"))
                case 0x09: out.append(0x5C); out.append(UInt8(ascii: "t"))
                case 0..<0x20, 0x7F:
                    raw("\\u00", &out)
                    out.append(hexDigits[Int(b >> 4)])
                    out.append(hexDigits[Int(b & 15)])
                default: out.append(b)
                }
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
