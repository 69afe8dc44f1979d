import Foundation

extension FakeTenant {
    /// The Graph id of a message's copy in one mailbox folder.
    static func itemID(_ message: FakeMessage, user: FakeUser, folder: String) -> String {
        fakeID("AAMkMsg", "\(message.internetMessageID)|\(user.id)|\(folder)")
    }

    /// The Graph id of an occurrence's copy in one calendar; a moved single event keeps its id.
    static func itemID(_ occurrence: FakeOccurrence, user: FakeUser) -> String {
        let identity = occurrence.kind == .singleInstance ? occurrence.uid : "\(occurrence.uid)|\(Int((occurrence.originalStart ?? occurrence.start).timeIntervalSince1970))"
        return fakeID("AAMkEvt", "\(identity)|\(user.id)")
    }

    /// A message copy as Graph returns it (every field; the server applies `$select`).
    static func render(_ message: FakeMessage, user: FakeUser, folder: String) -> FakeItem {
        let id = itemID(message, user: user, folder: folder)
        let sent = JSONText.timestamp(message.sentAt)
        let received = JSONText.timestamp(message.sentAt.addingTimeInterval(2))
        var headers: [[UInt8]] = [
            header("Received", "from mail.\(message.from.split(separator: "@").last ?? "") by fake.outlook.com; \(sent)"),
            header("Message-ID", "<\(message.internetMessageID)>"),
            header("Subject", message.subject),
            header("Content-Type", "multipart/alternative; boundary=\"b1\""),
        ]
        if let parent = message.inReplyTo { headers.append(header("In-Reply-To", "<\(parent)>")) }
        if !message.references.isEmpty { headers.append(header("References", message.references.map { "<\($0)>" }.joined(separator: " "))) }
        if message.bulk { headers.append(header("List-Unsubscribe", "<mailto:leave@\(message.from.split(separator: "@").last ?? "")>")) }
        if message.autoSubmitted { headers.append(header("Auto-Submitted", "auto-replied")) }
        let members: [(String, [UInt8])] = [
            ("@odata.type", JSONText.string("#microsoft.graph.message")),
            ("@odata.etag", JSONText.string("W/\"\(fakeID("CQAAAB", id))\"")),
            ("id", JSONText.string(id)),
            ("createdDateTime", JSONText.string(received)),
            ("lastModifiedDateTime", JSONText.string(received)),
            ("receivedDateTime", JSONText.string(received)),
            ("sentDateTime", JSONText.string(sent)),
            ("hasAttachments", JSONText.bool(false)),
            ("internetMessageId", JSONText.string("<\(message.internetMessageID)>")),
            ("subject", JSONText.string(message.subject)),
            ("bodyPreview", JSONText.string("Preview of \(message.subject): never to be stored")),
            ("importance", JSONText.string("normal")),
            ("conversationId", JSONText.string(message.conversationID)),
            ("isRead", JSONText.bool(true)),
            ("isDraft", JSONText.bool(false)),
            ("body", JSONText.object([("contentType", JSONText.string("html")), ("content", JSONText.string("<html><body>This body is never read: \(message.subject)</body></html>"))])),
            ("sender", JSONText.recipient(message.from)),
            ("from", JSONText.recipient(message.from)),
            ("toRecipients", JSONText.array(message.to.map(JSONText.recipient))),
            ("ccRecipients", JSONText.array(message.cc.map(JSONText.recipient))),
            ("bccRecipients", JSONText.array(folder == "sentitems" ? message.bcc.map(JSONText.recipient) : [])),
            ("replyTo", JSONText.array([])),
            ("internetMessageHeaders", JSONText.array(headers)),
        ]
        let seconds = Int(message.sentAt.timeIntervalSince1970) + 2
        return FakeItem(members: members, odataType: "#microsoft.graph.message", start: seconds, end: seconds)
    }

    /// An occurrence's copy in one calendar as calendarView/delta returns it (bodies included: the parser drops them).
    ///
    /// As in Exchange (`perCopy`), only the organizer's copy carries every attendee's response; an attendee's
    /// copy knows its owner's own answer (`notResponded` when none was given) and shows `none` for the others
    /// (learn.microsoft.com/graph/api/resources/responsestatus).
    static func render(_ occurrence: FakeOccurrence, user: FakeUser, organized: Bool, perCopy: Bool = true) -> FakeItem {
        let own = occurrence.attendees.first { $0.address == user.address }?.response ?? "none"
        func seen(_ attendee: FakeOccurrence.Attendee) -> String {
            guard perCopy, !organized else { return attendee.response }
            return attendee.address == user.address ? (attendee.response == "none" ? "notResponded" : attendee.response) : "none"
        }
        let id = itemID(occurrence, user: user)
        var members: [(String, [UInt8])] = [
            ("@odata.type", JSONText.string("#microsoft.graph.event")),
            ("@odata.etag", JSONText.string("W/\"\(fakeID("DwAAAB", id + "\(occurrence.start.timeIntervalSince1970)\(occurrence.cancelled)"))\"")),
            ("id", JSONText.string(id)),
            ("createdDateTime", JSONText.string(JSONText.timestamp(occurrence.start.addingTimeInterval(-7 * 86_400)))),
            ("iCalUId", JSONText.string(occurrence.uid)),
            ("subject", JSONText.string(occurrence.subject)),
            ("bodyPreview", JSONText.string("Agenda of \(occurrence.subject)")),
            ("body", JSONText.object([("contentType", JSONText.string("html")), ("content", JSONText.string("<html><body>This invitation body is never read</body></html>"))])),
            ("isAllDay", JSONText.bool(false)),
            ("isCancelled", JSONText.bool(occurrence.cancelled)),
            ("isOrganizer", JSONText.bool(organized)),
            ("type", JSONText.string(occurrence.kind.rawValue)),
        ]
        if occurrence.kind != .singleInstance {
            members.append(("seriesMasterId", JSONText.string(fakeID("AAMkSer", "\(occurrence.uid)|\(user.id)"))))
            members.append(("originalStart", JSONText.string(JSONText.timestamp(occurrence.originalStart ?? occurrence.start))))
        }
        members += [
            ("start", JSONText.dateTimeTimeZone(occurrence.start)),
            ("end", JSONText.dateTimeTimeZone(occurrence.end)),
            ("location", JSONText.object([("displayName", JSONText.string("Room 4"))])),
            ("showAs", JSONText.string("busy")),
            ("responseStatus", JSONText.object([
                ("response", JSONText.string(organized ? "organizer" : (own == "none" ? "notResponded" : own))), ("time", JSONText.string("0001-01-01T00:00:00Z")),
            ])),
            ("attendees", JSONText.array(occurrence.attendees.map { attendee in
                JSONText.object([
                    ("type", JSONText.string(attendee.type)),
                    ("status", JSONText.object([("response", JSONText.string(seen(attendee))), ("time", JSONText.string("0001-01-01T00:00:00Z"))])),
                    ("emailAddress", JSONText.object([("name", JSONText.string(attendee.address)), ("address", JSONText.string(attendee.address))])),
                ])
            })),
            ("organizer", JSONText.recipient(occurrence.organizer)),
        ]
        return FakeItem(
            members: members, odataType: "#microsoft.graph.event", start: Int(occurrence.start.timeIntervalSince1970),
            end: Int(occurrence.end.timeIntervalSince1970))
    }

    private static func header(_ name: String, _ value: String) -> [UInt8] {
        JSONText.object([("name", JSONText.string(name)), ("value", JSONText.string(value))])
    }

    /// A directory user as `/users` returns it.
    static func render(_ user: FakeUser) -> [UInt8] {
        JSONText.object([
            ("@odata.type", JSONText.string("#microsoft.graph.user")), ("id", JSONText.string(user.id)),
            ("displayName", JSONText.string(user.displayName)), ("mail", user.mail.map(JSONText.string) ?? JSONText.null),
            ("userPrincipalName", JSONText.string(user.userPrincipalName)),
        ])
    }

    /// A group as `/groups` (and transitiveMembers) returns it.
    static func render(_ group: FakeGroup) -> [UInt8] {
        JSONText.object([
            ("@odata.type", JSONText.string("#microsoft.graph.group")), ("id", JSONText.string(group.id)),
            ("displayName", JSONText.string(group.displayName)), ("mail", group.mail.map(JSONText.string) ?? JSONText.null),
        ])
    }
}
