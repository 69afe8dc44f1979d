import FakeServiceKit
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
        let sent = JSONBytes.timestamp(message.sentAt)
        let received = JSONBytes.timestamp(message.sentAt.addingTimeInterval(2))
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
            ("@odata.type", JSONBytes.string("#microsoft.graph.message")),
            ("@odata.etag", JSONBytes.string("W/\"\(fakeID("CQAAAB", id))\"")),
            ("id", JSONBytes.string(id)),
            ("createdDateTime", JSONBytes.string(received)),
            ("lastModifiedDateTime", JSONBytes.string(received)),
            ("receivedDateTime", JSONBytes.string(received)),
            ("sentDateTime", JSONBytes.string(sent)),
            ("hasAttachments", JSONBytes.bool(false)),
            ("internetMessageId", JSONBytes.string("<\(message.internetMessageID)>")),
            ("subject", JSONBytes.string(message.subject)),
            ("bodyPreview", JSONBytes.string("Preview of \(message.subject): never to be stored")),
            ("importance", JSONBytes.string("normal")),
            ("conversationId", JSONBytes.string(message.conversationID)),
            ("isRead", JSONBytes.bool(true)),
            ("isDraft", JSONBytes.bool(false)),
            ("body", JSONBytes.object([("contentType", JSONBytes.string("html")), ("content", JSONBytes.string("<html><body>This body is never read: \(message.subject)</body></html>"))])),
            ("sender", JSONBytes.recipient(message.from)),
            ("from", JSONBytes.recipient(message.from)),
            ("toRecipients", JSONBytes.array(message.to.map(JSONBytes.recipient))),
            ("ccRecipients", JSONBytes.array(message.cc.map(JSONBytes.recipient))),
            ("bccRecipients", JSONBytes.array(folder == "sentitems" ? message.bcc.map(JSONBytes.recipient) : [])),
            ("replyTo", JSONBytes.array([])),
            ("internetMessageHeaders", JSONBytes.array(headers)),
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
            ("@odata.type", JSONBytes.string("#microsoft.graph.event")),
            ("@odata.etag", JSONBytes.string("W/\"\(fakeID("DwAAAB", id + "\(occurrence.start.timeIntervalSince1970)\(occurrence.cancelled)"))\"")),
            ("id", JSONBytes.string(id)),
            ("createdDateTime", JSONBytes.string(JSONBytes.timestamp(occurrence.start.addingTimeInterval(-7 * 86_400)))),
            ("iCalUId", JSONBytes.string(occurrence.uid)),
            ("subject", JSONBytes.string(occurrence.subject)),
            ("bodyPreview", JSONBytes.string("Agenda of \(occurrence.subject)")),
            ("body", JSONBytes.object([("contentType", JSONBytes.string("html")), ("content", JSONBytes.string("<html><body>This invitation body is never read</body></html>"))])),
            ("isAllDay", JSONBytes.bool(false)),
            ("isCancelled", JSONBytes.bool(occurrence.cancelled)),
            ("isOrganizer", JSONBytes.bool(organized)),
            ("type", JSONBytes.string(occurrence.kind.rawValue)),
        ]
        if occurrence.kind != .singleInstance {
            members.append(("seriesMasterId", JSONBytes.string(fakeID("AAMkSer", "\(occurrence.uid)|\(user.id)"))))
            members.append(("originalStart", JSONBytes.string(JSONBytes.timestamp(occurrence.originalStart ?? occurrence.start))))
        }
        members += [
            ("start", JSONBytes.dateTimeTimeZone(occurrence.start)),
            ("end", JSONBytes.dateTimeTimeZone(occurrence.end)),
            ("location", JSONBytes.object([("displayName", JSONBytes.string("Room 4"))])),
            ("showAs", JSONBytes.string("busy")),
            ("responseStatus", JSONBytes.object([
                ("response", JSONBytes.string(organized ? "organizer" : (own == "none" ? "notResponded" : own))), ("time", JSONBytes.string("0001-01-01T00:00:00Z")),
            ])),
            ("attendees", JSONBytes.array(occurrence.attendees.map { attendee in
                JSONBytes.object([
                    ("type", JSONBytes.string(attendee.type)),
                    ("status", JSONBytes.object([("response", JSONBytes.string(seen(attendee))), ("time", JSONBytes.string("0001-01-01T00:00:00Z"))])),
                    ("emailAddress", JSONBytes.object([("name", JSONBytes.string(attendee.address)), ("address", JSONBytes.string(attendee.address))])),
                ])
            })),
            ("organizer", JSONBytes.recipient(occurrence.organizer)),
        ]
        return FakeItem(
            members: members, odataType: "#microsoft.graph.event", start: Int(occurrence.start.timeIntervalSince1970),
            end: Int(occurrence.end.timeIntervalSince1970))
    }

    private static func header(_ name: String, _ value: String) -> [UInt8] {
        JSONBytes.object([("name", JSONBytes.string(name)), ("value", JSONBytes.string(value))])
    }

    /// A directory user as `/users` returns it.
    static func render(_ user: FakeUser) -> [UInt8] {
        JSONBytes.object([
            ("@odata.type", JSONBytes.string("#microsoft.graph.user")), ("id", JSONBytes.string(user.id)),
            ("displayName", JSONBytes.string(user.displayName)), ("mail", user.mail.map(JSONBytes.string) ?? JSONBytes.null),
            ("userPrincipalName", JSONBytes.string(user.userPrincipalName)),
        ])
    }

    /// A group as `/groups` (and transitiveMembers) returns it.
    static func render(_ group: FakeGroup) -> [UInt8] {
        JSONBytes.object([
            ("@odata.type", JSONBytes.string("#microsoft.graph.group")), ("id", JSONBytes.string(group.id)),
            ("displayName", JSONBytes.string(group.displayName)), ("mail", group.mail.map(JSONBytes.string) ?? JSONBytes.null),
        ])
    }
}
