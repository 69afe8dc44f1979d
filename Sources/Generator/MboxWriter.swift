import Foundation

/// Writes one selected mailbox's sent and received messages as an mbox (mboxrd, LF line ends).
///
/// Headers are RFC 5322 with display names (quoted when they hold a comma,
/// RFC 2047 `B` words when they are not ASCII), long address lists and
/// References folded, the sender's local offset in Date; Bcc only in the
/// sender's own copy. Bodies are a few short lines.
enum MboxWriter {
    static func mbox(mailbox: Int, emails: [GeneratedEmail], organization: SyntheticOrganization) -> [UInt8] {
        var out: [UInt8] = []
        var seed = SeededRandom.stream(seed: organization.spec.seed, 7, UInt64(mailbox))
        for email in emails {
            out += Array("From \(email.from.address) \(TextFormats.envelopeDate(email.sentAt))\n".utf8)
            var lines: [String] = []
            if let id = email.messageID { lines.append("Message-ID: <\(id)>") }
            lines.append("Date: \(TextFormats.mailDate(email.sentAt, zone: email.zone))")
            lines.append("From: \(addressText(email.from))")
            lines += folded("To", email.to.map(addressText))
            if !email.cc.isEmpty { lines += folded("Cc", email.cc.map(addressText)) }
            if !email.bcc.isEmpty, email.from.mailboxIndex == mailbox { lines += folded("Bcc", email.bcc.map(addressText)) }
            lines.append("Subject: \(email.subject)")
            if let parent = email.inReplyTo { lines.append("In-Reply-To: <\(parent)>") }
            if !email.references.isEmpty { lines += folded("References", email.references.map { "<\($0)>" }, mark: "") }
            switch email.kind {
            case .newsletter:
                let domain = email.from.domain
                lines.append("List-Id: \(email.from.name) <news.\(domain)>")
                lines.append("List-Unsubscribe: <https://\(domain)/unsubscribe?u=\(seed.hex(12))>, <mailto:unsubscribe@\(domain)>")
                lines.append("Precedence: bulk")
            case .autoReply:
                lines.append("Auto-Submitted: auto-replied")
                lines.append("X-Auto-Response-Suppress: All")
            default:
                break
            }
            lines.append("MIME-Version: 1.0")
            lines.append("Content-Type: text/plain; charset=\"utf-8\"")
            lines.append("Content-Transfer-Encoding: 8bit")
            for line in lines { out += Array(line.utf8) + [0x0A] }
            out.append(0x0A)
            out += Array(body(email, &seed).utf8)
            out += [0x0A, 0x0A]
        }
        return out
    }

    /// `Name <address>`, quoted or encoded as needed.
    static func addressText(_ person: Participant) -> String {
        let name = person.name
        if name.isEmpty { return person.address }
        if !name.unicodeScalars.allSatisfy(\.isASCII) {
            return "=?UTF-8?B?\(Data(name.utf8).base64EncodedString())?= <\(person.address)>"
        }
        if name.contains(where: { ",;:<>@\"()[]\\.".contains($0) }) {
            return "\"\(name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""))\" <\(person.address)>"
        }
        return "\(name) <\(person.address)>"
    }

    /// A header field whose items are folded onto continuation lines past 76 characters.
    static func folded(_ name: String, _ items: [String], mark: String = ",") -> [String] {
        var lines: [String] = []
        var current = "\(name):"
        for (k, item) in items.enumerated() {
            let piece = k + 1 < items.count ? item + mark : item
            if k > 0, current.utf8.count + piece.utf8.count + 1 > 76 {
                lines.append(current)
                current = " " + piece
            } else {
                current += " " + piece
            }
        }
        lines.append(current)
        return lines
    }

    static func body(_ email: GeneratedEmail, _ rng: inout SeededRandom) -> String {
        switch email.kind {
        case .newsletter:
            return "View this email in your browser.\n\nThis month: product news, events and offers.\n\nUnsubscribe at any time."
        case .autoReply:
            return "Thank you for your message. I am out of the office and will reply when I am back."
        case .noReply:
            return "This is an automated message. Please do not reply."
        default:
            let to = email.to.first?.name.split(separator: " ").first.map(String.init) ?? "all"
            let from = email.from.name.split(separator: " ").first.map(String.init) ?? ""
            var text = rng.pick(Vocabulary.bodies).replacingOccurrences(of: "{to}", with: to)
                .replacingOccurrences(of: "{from}", with: from)
            // An mboxrd-quoted body line now and then.
            if rng.chance(0.01) { text += "\n>From our side, all good." }
            return text
        }
    }
}
