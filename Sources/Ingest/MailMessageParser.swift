import Engagement

/// Turns the header block of one message into an `ActivityEmail`.
public enum MailMessageParser {
    /// Parses the headers at the start of `bytes`; the body after them is never read.
    public static func parse(_ bytes: UnsafeRawBufferPointer) -> ActivityEmail {
        record(from: MailHeaderFields.parse(bytes))
    }

    public static func parse(_ bytes: [UInt8]) -> ActivityEmail {
        bytes.withUnsafeBytes { parse($0) }
    }

    public static func record(from fields: MailHeaderFields) -> ActivityEmail {
        var email = ActivityEmail()
        if let v = fields.from { email.from = MailAddressParser.parse(v, withNames: false).first?.address }
        if let v = fields.sender { email.sender = MailAddressParser.parse(v, withNames: false).first?.address }
        if let v = fields.to { email.to = MailAddressParser.parse(v, withNames: false).map(\.address) }
        if let v = fields.cc { email.cc = MailAddressParser.parse(v, withNames: false).map(\.address) }
        if let v = fields.bcc { email.bcc = MailAddressParser.parse(v, withNames: false).map(\.address) }
        if let v = fields.date { email.sentAt = MailDateParser.parse(v) }
        if let v = fields.messageID { email.messageID = MessageIDParser.parse(v).first }
        if let v = fields.inReplyTo { email.inReplyTo = MessageIDParser.parse(v) }
        if let v = fields.references { email.references = MessageIDParser.parse(v) }
        let auto = fields.autoSubmitted.map(firstWord).map { !$0.isEmpty && $0 != "no" } ?? false
        email.autoSubmitted = auto
        let precedence = fields.precedence.map(firstWord) ?? ""
        email.bulk = auto
            || fields.listID.map(hasText) == true
            || fields.listUnsubscribe.map(hasText) == true
            || precedence == "bulk" || precedence == "list" || precedence == "junk"
        return email
    }

    static func hasText(_ v: [UInt8]) -> Bool {
        v.contains { $0 > 0x20 }
    }

    /// The first word of a structured value, lowercased, without comments or parameters.
    static func firstWord(_ v: [UInt8]) -> String {
        var out: [UInt8] = []
        var depth = 0
        for b in v {
            if b == UInt8(ascii: "(") { depth += 1; if !out.isEmpty { break }; continue }
            if b == UInt8(ascii: ")") { if depth > 0 { depth -= 1 }; continue }
            if depth > 0 { continue }
            if b <= 0x20 || b == UInt8(ascii: ";") {
                if out.isEmpty { continue } else { break }
            }
            out.append(b >= 0x41 && b <= 0x5A ? b | 0x20 : b)
        }
        return String(decoding: out, as: UTF8.self)
    }
}
