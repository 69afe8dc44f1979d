#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A `MailMessage` checked before connecting, ready to be rendered for DATA once the relay's extensions are known.
struct PreparedMessage: Sendable {
    let from: String
    let to: String
    /// The Message-ID with its angle brackets.
    let messageID: String
    /// The Subject header value, RFC 2047 encoded when needed.
    let subject: String
    let bodyLines: [[UInt8]]

    /// Throws `.invalidMessage` for anything that could inject headers or SMTP commands.
    init(_ message: MailMessage, from: String) throws {
        try MailAddress.validate(from, field: "from")
        try MailAddress.validate(message.to, field: "to")
        if message.subject.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" }) {
            throw SMTPError(code: .invalidMessage, message: "subject contains a line break (header injection)")
        }
        self.from = from
        self.to = message.to
        self.messageID = try Self.messageID(message.messageID, from: from)
        self.subject = EncodedWord.headerValue(message.subject)
        self.bodyLines = BodyEncoding.lines(of: message.body)
    }

    /// The RFC 5322 message (headers, blank line, body; CRLF throughout), before dot-stuffing.
    func rendered(date: Date, eightBitMIME: Bool) -> (bytes: [UInt8], encoding: BodyEncoding) {
        let encoding = BodyEncoding.choose(for: bodyLines, eightBitMIME: eightBitMIME)
        let headers = [
            "Date: \(RFC5322Date.string(from: date))",
            "From: \(from)",
            "To: \(to)",
            "Subject: \(subject)",
            "Message-ID: \(messageID)",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: \(encoding.rawValue)",
        ]
        var bytes = Array((headers.joined(separator: "\r\n") + "\r\n\r\n").utf8)
        bytes += encoding.encode(bodyLines)
        return (bytes, encoding)
    }

    /// The given Message-ID in angle brackets, or a new random one at the sender's domain.
    private static func messageID(_ given: String?, from: String) throws -> String {
        guard let given else {
            return "<\(UUID().uuidString.lowercased())@\(MailAddress.domain(of: from))>"
        }
        var id = Substring(given)
        if id.hasPrefix("<"), id.hasSuffix(">"), id.count >= 2 { id = id.dropFirst().dropLast() }
        guard !id.isEmpty, id.utf8.count <= 900,
              id.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F && $0 != "<" && $0 != ">" })
        else {
            throw SMTPError(code: .invalidMessage, message: "messageID must be printable ASCII without spaces or line breaks")
        }
        return "<\(id)>"
    }
}
