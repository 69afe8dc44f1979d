import Foundation

extension ActivityClassifier {
    /// The dedupe key of an email: its Message-ID as given, else `h:` and a SHA-256 of sender, second and recipients.
    ///
    /// The fallback hashes the UTF-8 of `sender|epochSeconds|recipients`: the
    /// sender as matching sees it (From, else Sender; trimmed, lowercased;
    /// empty when neither), the Date rounded down to whole seconds since 1970,
    /// and the distinct To and Cc addresses, trimmed, lowercased, sorted by
    /// bytes and joined by `,`. Bcc is left out on purpose: only the sender's
    /// copy shows it, so including it would split one message into two keys.
    /// Nil when the email has neither a Message-ID nor a date.
    public static func messageKey(of email: ActivityEmail) -> String? {
        if let id = email.messageID, !id.isEmpty { return id }
        guard let sentAt = email.sentAt else { return nil }
        let seconds = Int64(sentAt.timeIntervalSince1970.rounded(.down))
        let recipients = ByteOrder.sortedDistinct((email.to + email.cc).compactMap(EmailAddress.normalizeNonEmpty))
        let material = (sender(of: email) ?? "") + "|" + String(seconds) + "|" + recipients.joined(separator: ",")
        return "h:" + SHA256.hex(of: material)
    }

    /// The dedupe key of a meeting occurrence: `uid|` and the recurrence id (else the start) as RFC 3339 UTC seconds.
    public static func occurrenceKey(of meeting: ActivityMeeting) -> String {
        meeting.uid + "|" + RFC3339UTC.string(from: meeting.recurrenceID ?? meeting.start)
    }
}
