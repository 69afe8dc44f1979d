import Ingest
import Foundation

/// Writes the organization as a fake Microsoft Graph tenant folder, the layout `rapport-dev fake-graph
/// --tenant-dir` and `FakeTenantFiles.load` serve: the tenant, its users, its groups with their
/// direct members, and per selected mailbox its Inbox, Sent Items and calendar view in Graph's
/// JSON shapes (the fake pages them and adds the next and delta links).
///
/// Layout (see docs/generator.md): `graph/tenant.json`, `graph/users.json`, `graph/groups.json`,
/// `graph/mailboxes/<user id>/inbox.json`, `sentitems.json`, `calendar.json`.
/// Times are UTC, as Graph answers a client that prefers `outlook.timezone="UTC"`.
enum GraphWriter {
    static let base = "https://graph.microsoft.com/v1.0"

    /// The Entra tenant id of the organization: a GUID derived from its seed and domain.
    static func entraTenantID(_ organization: SyntheticOrganization) -> String {
        let hex = GraphIDs.hex("tenant/\(organization.spec.seed)/\(organization.spec.domain)")
            + GraphIDs.hex("tenant-id/\(organization.spec.domain)/\(organization.spec.seed)")
        let digits = Array(hex)
        func part(_ range: Range<Int>) -> String { String(digits[range]) }
        return "\(part(0..<8))-\(part(8..<12))-4\(part(13..<16))-8\(part(17..<20))-\(part(20..<32))"
    }

    static func tenant(_ organization: SyntheticOrganization) -> [UInt8] {
        JSONText.object([
            ("entra_tenant_id", .string(entraTenantID(organization))), ("domain", .string(organization.spec.domain)),
        ]).bytes(indent: true)
    }

    static func users(_ directory: Directory) -> [UInt8] {
        let value = directory.users.map { user -> JSONText in
            .object([
                ("id", .string(user.id)), ("displayName", .string(user.displayName)), ("mail", .string(user.mail)),
                ("userPrincipalName", .string(user.userPrincipalName)), ("department", .string(user.department)),
                ("accountEnabled", true), ("hasMailbox", .bool(user.mailbox != nil)),
            ])
        }
        return JSONText.object([("@odata.context", .string("\(base)/$metadata#users")), ("value", .array(value))]).bytes(indent: true)
    }

    /// The groups with their direct members' ids (users or groups); the fake resolves `transitiveMembers`.
    static func groups(_ directory: Directory) -> [UInt8] {
        let value = directory.groups.map { group -> JSONText in
            .object([
                ("id", .string(group.id)), ("displayName", .string(group.displayName)), ("mail", .string(group.mail)),
                ("mailEnabled", true), ("securityEnabled", false), ("groupTypes", .array([])),
                ("members", .array(group.members.map { .string($0) })),
            ])
        }
        return JSONText.object([("@odata.context", .string("\(base)/$metadata#groups")), ("value", .array(value))]).bytes(indent: true)
    }

    /// One mailbox's messages, oldest first: what it sent (Sent Items) and what it received (Inbox).
    static func mailFolders(mailbox: Int, emails: [GeneratedEmail]) -> (inbox: [UInt8], sentItems: [UInt8]) {
        var inbox: [JSONText] = []
        var sentItems: [JSONText] = []
        for email in emails {
            if email.from.mailboxIndex == mailbox { sentItems.append(message(email, mailbox: mailbox)) } else { inbox.append(message(email, mailbox: mailbox)) }
        }
        return (collection(inbox), collection(sentItems))
    }

    /// One mailbox's calendar view: each series master, then its occurrences and exceptions.
    static func calendar(mailbox: Int, events: [GeneratedEvent]) -> [UInt8] {
        var items: [JSONText] = []
        for event in events { items += self.events(event, mailbox: mailbox) }
        return collection(items)
    }

    static func collection(_ items: [JSONText]) -> [UInt8] {
        JSONText.object([("value", .array(items))]).bytes(indent: false)
    }

    static func address(_ person: Participant) -> JSONText {
        .object([("emailAddress", .object([("name", .string(person.name)), ("address", .string(person.address))]))])
    }

    static func message(_ email: GeneratedEmail, mailbox: Int) -> JSONText {
        let sent = TextFormats.rfc3339(email.sentAt)
        let received = TextFormats.rfc3339(email.sentAt + 2 + Int(email.conversation % 5))
        let own = email.from.mailboxIndex == mailbox
        var headers: [JSONText] = []
        func header(_ name: String, _ value: String) {
            headers.append(.object([("name", .string(name)), ("value", .string(value))]))
        }
        if let id = email.messageID { header("Message-ID", "<\(id)>") }
        header("Date", TextFormats.mailDate(email.sentAt, zone: email.zone))
        if let parent = email.inReplyTo { header("In-Reply-To", "<\(parent)>") }
        if !email.references.isEmpty { header("References", email.references.map { "<\($0)>" }.joined(separator: " ")) }
        switch email.kind {
        case .newsletter:
            header("List-Id", "<news.\(email.from.domain)>")
            header("List-Unsubscribe", "<mailto:unsubscribe@\(email.from.domain)>")
            header("Precedence", "bulk")
        case .autoReply:
            header("Auto-Submitted", "auto-replied")
        default:
            break
        }
        let key = email.messageID ?? "\(email.conversation)-\(email.sentAt)-\(email.from.address)"
        var members: [(String, JSONText)] = [
            ("@odata.type", "#microsoft.graph.message"),
            ("id", .string("AAMkAG\(GraphIDs.hex("\(mailbox)/\(key)"))\(GraphIDs.hex(key))AAA=")),
            ("createdDateTime", .string(own ? sent : received)), ("lastModifiedDateTime", .string(own ? sent : received)),
            ("receivedDateTime", .string(received)), ("sentDateTime", .string(sent)), ("hasAttachments", false),
            ("internetMessageId", email.messageID.map { .string("<\($0)>") } ?? .null),
            ("subject", .string(email.subject)), ("bodyPreview", "Never read by Rapport."), ("importance", "normal"),
            ("parentFolderId", .string(own ? "SentItems" : "Inbox")),
            ("conversationId", .string("AAQkAG\(GraphIDs.hex("conversation/\(email.conversation)"))=")),
            ("isRead", true), ("isDraft", false),
            ("body", .object([("contentType", "text"), ("content", "Never read by Rapport.")])),
            ("sender", address(email.from)), ("from", address(email.from)),
            ("toRecipients", .array(email.to.map(address))), ("ccRecipients", .array(email.cc.map(address))),
        ]
        members.append(("bccRecipients", .array(own ? email.bcc.map(address) : [])))
        members.append(("replyTo", .array([])))
        members.append(("internetMessageHeaders", .array(headers)))
        return .object(members)
    }

    static let responses = ["ACCEPTED": "accepted", "TENTATIVE": "tentativelyAccepted", "DECLINED": "declined", "NEEDS-ACTION": "notResponded"]

    static func dateTimeZone(_ seconds: Int, _ event: GeneratedEvent) -> JSONText {
        .object([("dateTime", .string(TextFormats.graphDateTime(seconds))), ("timeZone", "UTC")])
    }

    /// The calendar view items of one event in one mailbox.
    ///
    /// As in Exchange, only the organizer's copy carries every attendee's response; an attendee's copy
    /// knows its owner's own answer and shows `none` for everyone else.
    static func events(_ event: GeneratedEvent, mailbox: Int) -> [JSONText] {
        let isOrganizer = event.organizer.mailboxIndex == mailbox
        let ownAnswer = event.attendees.first { $0.person.mailboxIndex == mailbox }?.partstat ?? "NEEDS-ACTION"
        let attendees = event.attendees.map { attendee -> JSONText in
            let seen = isOrganizer || attendee.person.mailboxIndex == mailbox ? responses[attendee.partstat] ?? "none" : "none"
            return .object([
                ("type", .string(attendee.person.isRoom ? "resource" : attendee.role == "OPT-PARTICIPANT" ? "optional" : "required")),
                ("status", .object([("response", .string(seen)), ("time", "0001-01-01T00:00:00Z")])),
                ("emailAddress", .object([("name", .string(attendee.person.name)), ("address", .string(attendee.person.address))])),
            ])
        }
        let room = event.attendees.first { $0.person.isRoom }?.person.name ?? ""
        let masterID = "AAMkAG\(GraphIDs.hex("\(mailbox)/\(event.uid)"))AAA="
        func item(
            id: String, type: String, start: Int, cancelled: Bool, original: Int?, recurrence: JSONText
        ) -> JSONText {
            var members: [(String, JSONText)] = [
                ("@odata.type", "#microsoft.graph.event"), ("id", .string(id)), ("iCalUId", .string(event.uid)),
                ("subject", .string((cancelled ? "Canceled: " : "") + event.subject)), ("type", .string(type)),
                ("seriesMasterId", type == "occurrence" || type == "exception" ? .string(masterID) : .null),
            ]
            if let original {
                members.append(("originalStart", .string(TextFormats.rfc3339(original))))
                members.append(("originalStartTimeZone", .string(event.zone == "UTC" ? "UTC" : Zones.windowsName(event.zone))))
            }
            members += [
                ("start", dateTimeZone(start, event)), ("end", dateTimeZone(start + event.duration, event)),
                ("isAllDay", .bool(event.allDay)), ("isCancelled", .bool(cancelled)), ("isOrganizer", .bool(isOrganizer)),
                ("showAs", .string(cancelled ? "free" : "busy")),
                ("responseStatus", .object([
                    ("response", .string(isOrganizer ? "organizer" : responses[ownAnswer] ?? "none")), ("time", "0001-01-01T00:00:00Z"),
                ])),
                ("location", .object([("displayName", .string(room))])),
                ("organizer", address(event.organizer)), ("attendees", .array(attendees)), ("recurrence", recurrence),
            ]
            return .object(members)
        }
        guard let recurrence = event.recurrence else {
            return [item(id: masterID, type: "singleInstance", start: event.start, cancelled: event.cancelled, original: nil, recurrence: .null)]
        }
        let local = event.zone == "UTC" ? event.start : Zones.local(event.start, zone: event.zone)
        let weekday = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"][TextFormats.parts(local).weekday]
        let pattern: JSONText = recurrence.frequency == .weekly
            ? .object([("type", "weekly"), ("interval", 1), ("daysOfWeek", .array([.string(weekday)])), ("firstDayOfWeek", "sunday")])
            : .object([("type", "absoluteMonthly"), ("interval", 1), ("dayOfMonth", .int(TextFormats.parts(local).day))])
        let range: JSONText = .object([
            ("type", "numbered"), ("startDate", .string(String(TextFormats.rfc3339(local).prefix(10)))),
            ("numberOfOccurrences", .int(recurrence.count)),
            ("recurrenceTimeZone", .string(event.zone == "UTC" ? "UTC" : Zones.windowsName(event.zone))),
        ])
        var items = [item(
            id: masterID, type: "seriesMaster", start: event.start, cancelled: false, original: nil,
            recurrence: .object([("pattern", pattern), ("range", range)]))]
        for occurrence in event.occurrences {
            let original = occurrence.recurrenceID ?? occurrence.start
            let exception = occurrence.moved || occurrence.cancelled
            items.append(item(
                id: "AAMkAG\(GraphIDs.hex("\(mailbox)/\(event.uid)/\(original)"))AAA=", type: exception ? "exception" : "occurrence",
                start: occurrence.start, cancelled: occurrence.cancelled, original: original, recurrence: .null))
        }
        return items
    }
}
