/// The raw (unfolded, undecoded) values of the header fields Rapport reads from one message.
///
/// Every other field is skipped without being unfolded or decoded, and the
/// body is never looked at: parsing stops at the first empty line, or at the
/// first line that is neither a field nor a continuation (as Python's
/// `email` package does).
public struct MailHeaderFields: Sendable, Hashable {
    public var from: [UInt8]?
    public var sender: [UInt8]?
    /// All To fields, joined with commas.
    public var to: [UInt8]?
    public var cc: [UInt8]?
    public var bcc: [UInt8]?
    public var date: [UInt8]?
    public var messageID: [UInt8]?
    public var inReplyTo: [UInt8]?
    public var references: [UInt8]?
    public var listID: [UInt8]?
    public var listUnsubscribe: [UInt8]?
    public var precedence: [UInt8]?
    public var autoSubmitted: [UInt8]?

    public init() {}

    enum Field: Int {
        case from, sender, to, cc, bcc, date, messageID, inReplyTo, references
        case listID, listUnsubscribe, precedence, autoSubmitted
    }

    /// Reads the header block at the start of `bytes` (an optional mbox `From ` line first).
    public static func parse(_ bytes: UnsafeRawBufferPointer) -> MailHeaderFields {
        var fields = MailHeaderFields()
        let n = bytes.count
        var i = 0
        var current: Field?
        var value: [UInt8] = []
        func commit() {
            if let f = current { fields.store(f, value) }
            current = nil
            value.removeAll(keepingCapacity: true)
        }
        while i < n {
            // One physical line: [i, lineEnd) without its CR LF.
            var lineEnd = i
            while lineEnd < n, bytes[lineEnd] != 0x0A { lineEnd += 1 }
            let next = lineEnd + 1
            if lineEnd > i, bytes[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            if lineEnd == i { break }  // empty line: the body starts
            let b0 = bytes[i]
            if b0 == 0x20 || b0 == 0x09 {
                if current != nil { value.append(contentsOf: bytes[i..<lineEnd]) }
                i = next
                continue
            }
            if startsWithFromSpace(bytes, i, lineEnd) {
                // The mbox envelope line, or a misplaced one: not a field.
                commit()
                i = next
                continue
            }
            // field-name: printable ASCII but ':', then optional WSP, then ':'.
            var j = i
            while j < lineEnd, bytes[j] > 0x20, bytes[j] < 0x7F, bytes[j] != UInt8(ascii: ":") { j += 1 }
            let nameEnd = j
            while j < lineEnd, bytes[j] == 0x20 || bytes[j] == 0x09 { j += 1 }
            guard j < lineEnd, bytes[j] == UInt8(ascii: ":") else { break }  // not a field: the headers end
            commit()
            current = lookup(bytes, i, nameEnd)
            if current != nil { value.append(contentsOf: bytes[(j + 1)..<lineEnd]) }
            i = next
        }
        commit()
        return fields
    }

    static func startsWithFromSpace(_ b: UnsafeRawBufferPointer, _ i: Int, _ end: Int) -> Bool {
        end - i >= 5 && b[i] == UInt8(ascii: "F") && b[i + 1] == UInt8(ascii: "r") && b[i + 2] == UInt8(ascii: "o")
            && b[i + 3] == UInt8(ascii: "m") && b[i + 4] == 0x20
    }

    mutating func store(_ field: Field, _ v: [UInt8]) {
        switch field {
        case .from: if from == nil { from = v }
        case .sender: if sender == nil { sender = v }
        case .to: Self.join(&to, v)
        case .cc: Self.join(&cc, v)
        case .bcc: Self.join(&bcc, v)
        case .date: if date == nil { date = v }
        case .messageID: if messageID == nil { messageID = v }
        case .inReplyTo: if inReplyTo == nil { inReplyTo = v }
        case .references: if references == nil { references = v }
        case .listID: if listID == nil { listID = v }
        case .listUnsubscribe: if listUnsubscribe == nil { listUnsubscribe = v }
        case .precedence: if precedence == nil { precedence = v }
        case .autoSubmitted: if autoSubmitted == nil { autoSubmitted = v }
        }
    }

    /// Appends a repeated field's value in place (a copy per field would be quadratic).
    static func join(_ a: inout [UInt8]?, _ b: [UInt8]) {
        if a == nil {
            a = b
        } else {
            a!.append(UInt8(ascii: ","))
            a!.append(contentsOf: b)
        }
    }

    static let names: [(String, Field)] = [
        ("from", .from), ("sender", .sender), ("to", .to), ("cc", .cc), ("bcc", .bcc),
        ("date", .date), ("message-id", .messageID), ("in-reply-to", .inReplyTo),
        ("references", .references), ("list-id", .listID), ("list-unsubscribe", .listUnsubscribe),
        ("precedence", .precedence), ("auto-submitted", .autoSubmitted),
    ]

    static func lookup(_ b: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Field? {
        let len = end - start
        guard len >= 2, len <= 16 else { return nil }
        outer: for (name, field) in names where name.utf8.count == len {
            var k = start
            for c in name.utf8 {
                if b[k] | 0x20 != c { continue outer }
                k += 1
            }
            return field
        }
        return nil
    }
}
