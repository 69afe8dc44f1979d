/// The kinds of activity file `ActivityFileReader` reads.
public enum ActivityFileKind: String, Sendable, Hashable {
    case mbox, eml, icalendar, graphJSON = "graph-json", ndjson, folder

    /// The kind a file name's extension says, if it says one.
    public static func byExtension(_ path: String) -> ActivityFileKind? {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return nil }
        switch path[path.index(after: dot)...].lowercased() {
        case "mbox", "mbx", "mboxrd", "mboxo": return .mbox
        case "eml", "txt", "raw", "msg822": return .eml
        case "ics", "ical", "icalendar", "ifb", "vcs": return .icalendar
        case "json": return .graphJSON
        case "ndjson", "jsonl": return .ndjson
        default: return nil
        }
    }

    /// The kind the first bytes of a file suggest, or nil.
    ///
    /// `BEGIN:VCALENDAR` → iCalendar; a first line that is a whole JSON object
    /// with a `kind` → NDJSON; other JSON → a Graph page; an mbox `From `
    /// line → mbox; a header field (`Name: value`) → one message.
    public static func sniff(_ head: [UInt8]) -> ActivityFileKind? {
        var i = 0
        if head.count >= 3, head[0] == 0xEF, head[1] == 0xBB, head[2] == 0xBF { i = 3 }
        while i < head.count, head[i] == 0x20 || head[i] == 0x09 || head[i] == 0x0A || head[i] == 0x0D { i += 1 }
        let rest = Array(head[i...])
        func starts(_ s: String, caseless: Bool = false) -> Bool {
            let p = Array(s.utf8)
            guard rest.count >= p.count else { return false }
            return zip(rest, p).allSatisfy { caseless ? ($0 | 0x20) == ($1 | 0x20) : $0 == $1 }
        }
        if starts("BEGIN:VCALENDAR", caseless: true) || starts("BEGIN:VEVENT", caseless: true) { return .icalendar }
        if starts("{") {
            let firstLine = rest.prefix { $0 != 0x0A }
            if let v = try? JSONParser.parse(Array(firstLine)), v.objectValue?["kind"] != nil { return .ndjson }
            return .graphJSON
        }
        if starts("From ") { return .mbox }
        // A header field name, then a colon.
        var j = 0
        while j < rest.count, rest[j] > 0x20, rest[j] < 0x7F, rest[j] != UInt8(ascii: ":") { j += 1 }
        if j > 0, j < rest.count, rest[j] == UInt8(ascii: ":") { return .eml }
        return nil
    }
}
