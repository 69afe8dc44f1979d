/// Writes the fake Microsoft Graph tenant: users, groups with transitive members, and per selected
/// mailbox its messages and calendar view in Graph's JSON shapes, as pages with next and delta links.
///
/// Layout (see docs/generator.md): `graph/users.json`, `graph/groups.json`,
/// `graph/mailboxes/<address>/messages/page-NNNN.json`,
/// `graph/mailboxes/<address>/events/page-NNNN.json`.
enum GraphWriter {
    static let base = "https://graph.microsoft.com/v1.0"
    static let pageSize = 100

    static func users(_ directory: Directory) -> [UInt8] {
        let value = directory.users.map { user -> JSONText in
            .object([
                ("id", .string(user.id)), ("displayName", .string(user.displayName)), ("mail", .string(user.mail)),
                ("userPrincipalName", .string(user.userPrincipalName)), ("department", .string(user.department)),
                ("accountEnabled", true),
            ])
        }
        return JSONText.object([("@odata.context", .string("\(base)/$metadata#users")), ("value", .array(value))]).bytes(indent: true)
    }

    static func groups(_ directory: Directory) -> [UInt8] {
        let userIDs = Set(directory.users.map(\.id))
        func reference(_ id: String) -> JSONText {
            .object([
                ("@odata.type", .string(userIDs.contains(id) ? "#microsoft.graph.user" : "#microsoft.graph.group")), ("id", .string(id)),
            ])
        }
        let value = directory.groups.map { group -> JSONText in
            .object([
                ("id", .string(group.id)), ("displayName", .string(group.displayName)), ("mail", .string(group.mail)),
                ("mailEnabled", true), ("securityEnabled", false), ("groupTypes", .array([])),
                ("members", .array(group.members.map(reference))),
                ("transitiveMembers", .array(directory.transitiveMembers(of: group.id).map(reference))),
            ])
        }
        return JSONText.object([("@odata.context", .string("\(base)/$metadata#groups")), ("value", .array(value))]).bytes(indent: true)
    }

    /// The pages of one mailbox's messages, oldest first.
    static func messagePages(user: DirectoryUser, mailbox: Int, emails: [GeneratedEmail]) -> [[UInt8]] {
        let items = emails.map { message($0, mailbox: mailbox) }
        return pages(items, user: user, collection: "messages")
    }

    /// The pages of one mailbox's calendar view: each series master, then its occurrences and exceptions.
    static func eventPages(user: DirectoryUser, mailbox: Int, events: [GeneratedEvent]) -> [[UInt8]] {
        var items: [JSONText] = []
        for event in events { items += self.events(event, mailbox: mailbox) }
        return pages(items, user: user, collection: "calendarView")
    }

    static func pages(_ items: [JSONText], user: DirectoryUser, collection: String) -> [[UInt8]] {
        let count = max(1, (items.count + pageSize - 1) / pageSize)
        var out: [[UInt8]] = []
        for page in 0..<count {
            let slice = Array(items[min(items.count, page * pageSize)..<min(items.count, (page + 1) * pageSize)])
            var members: [(String, JSONText)] = [
                ("@odata.context", .string("\(base)/$metadata#users('\(user.id)')/\(collection)")), ("value", .array(slice)),
            ]
            if page + 1 < count {
                members.append(("@odata.nextLink", .string("\(base)/users/\(user.id)/\(collection)?$skiptoken=page-\(number(page + 2))")))
            } else {
                members.append(("@odata.deltaLink", .string("\(base)/users/\(user.id)/\(collection)/delta?$deltatoken=\(GraphIDs.hex(user.id + collection))")))
            }
            out.append(JSONText.object(members).bytes(indent: false))
        }
        return out
    }

    static func number(_ n: Int) -> String {
        let s = String(n)
        return String(repeating: "0", count: max(0, 4 - s.count)) + s
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
        if event.zone == "UTC" || event.allDay {
            return .object([("dateTime", .string(TextFormats.graphDateTime(seconds))), ("timeZone", "UTC")])
        }
        return .object([
            ("dateTime", .string(TextFormats.graphDateTime(Zones.local(seconds, zone: event.zone)))),
            ("timeZone", .string(Zones.windowsName(event.zone))),
        ])
    }

    /// The calendar view items of one event in one mailbox.
    static func events(_ event: GeneratedEvent, mailbox: Int) -> [JSONText] {
        let isOrganizer = event.organizer.mailboxIndex == mailbox
        let ownAnswer = event.attendees.first { $0.person.mailboxIndex == mailbox }?.partstat ?? "NEEDS-ACTION"
        let attendees = event.attendees.map { attendee -> JSONText in
            .object([
                ("type", .string(attendee.person.isRoom ? "resource" : attendee.role == "OPT-PARTICIPANT" ? "optional" : "required")),
                ("status", .object([("response", .string(responses[attendee.partstat] ?? "none")), ("time", "0001-01-01T00:00:00Z")])),
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
