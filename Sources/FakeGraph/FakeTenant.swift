import Engagement
import Foundation

/// A generated tenant: its directory, and the mail and meetings its mailboxes hold.
///
/// The fake server renders it into Graph's wire format; tests compare what the
/// connector collected with `expectedRecords()`, computed from this model directly.
public struct FakeTenant: Sendable {
    /// The Entra tenant id the token endpoint accepts.
    public var entraTenantID: String
    public var domain: String
    public var users: [FakeUser]
    public var groups: [FakeGroup]
    public var messages: [FakeMessage]
    public var occurrences: [FakeOccurrence]

    public init(entraTenantID: String, domain: String, users: [FakeUser], groups: [FakeGroup], messages: [FakeMessage], occurrences: [FakeOccurrence]) {
        self.entraTenantID = entraTenantID
        self.domain = domain
        self.users = users
        self.groups = groups
        self.messages = messages
        self.occurrences = occurrences
    }

    /// Users with a mailbox, by address.
    public var mailboxesByAddress: [String: FakeUser] {
        Dictionary(users.filter(\.hasMailbox).map { ($0.address, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Where a message has copies: the sender's Sent Items and each tenant recipient's Inbox.
    public func copies(of message: FakeMessage, mailboxes: [String: FakeUser]) -> [(user: FakeUser, folder: String)] {
        var copies: [(FakeUser, String)] = []
        if let sender = mailboxes[message.from] { copies.append((sender, "sentitems")) }
        var seen: Set<String> = []
        for address in message.to + message.cc + message.bcc where seen.insert(address).inserted {
            if let user = mailboxes[address] { copies.append((user, "inbox")) }
        }
        return copies
    }

    /// Where an occurrence has copies: the organizer's calendar (unless cancelled) and each tenant attendee's.
    public func copies(of occurrence: FakeOccurrence, mailboxes: [String: FakeUser]) -> [(user: FakeUser, organized: Bool)] {
        var copies: [(FakeUser, Bool)] = []
        if !occurrence.cancelled, let organizer = mailboxes[occurrence.organizer] { copies.append((organizer, true)) }
        var seen: Set<String> = [occurrence.organizer]
        for attendee in occurrence.attendees where seen.insert(attendee.address).inserted {
            if let user = mailboxes[attendee.address] { copies.append((user, false)) }
        }
        return copies
    }

    /// Every record the mailboxes hold, one per copy, as Rapport's parser must read them; `excluding` leaves out users' mailboxes.
    ///
    /// A meeting's copy in an attendee's calendar carries that attendee's own response only (`servedCopies`:
    /// as Exchange serves it); the organizer's copy carries everyone's.
    public func servedRecords(excluding: Set<String> = []) -> [ActivityRecord] {
        let mailboxes = mailboxesByAddress
        var records = emailRecords(excluding: excluding)
        for occurrence in occurrences {
            for copy in copies(of: occurrence, mailboxes: mailboxes) where !excluding.contains(copy.user.id) {
                records.append(.meeting(Self.record(occurrence, seenBy: copy.organized ? nil : copy.user.address)))
            }
        }
        return records
    }

    /// What Rapport can know from the mailboxes it reads (`excluding` those it cannot): every message copy, and
    /// each meeting as its organizer's copy tells it, or, when no readable mailbox organizes it, as its attendees' copies do.
    public func expectedRecords(excluding: Set<String> = []) -> [ActivityRecord] {
        let mailboxes = mailboxesByAddress
        var records = emailRecords(excluding: excluding)
        for occurrence in occurrences {
            let readable = copies(of: occurrence, mailboxes: mailboxes).filter { !excluding.contains($0.user.id) }
            if readable.contains(where: \.organized) {
                records.append(.meeting(Self.record(occurrence)))
            } else {
                for copy in readable { records.append(.meeting(Self.record(occurrence, seenBy: copy.user.address))) }
            }
        }
        return records
    }

    private func emailRecords(excluding: Set<String>) -> [ActivityRecord] {
        let mailboxes = mailboxesByAddress
        var records: [ActivityRecord] = []
        for message in messages {
            for copy in copies(of: message, mailboxes: mailboxes) where !excluding.contains(copy.user.id) {
                records.append(.email(Self.record(message, senderCopy: copy.folder == "sentitems")))
            }
        }
        return records
    }

    public static func record(_ message: FakeMessage, senderCopy: Bool) -> ActivityEmail {
        ActivityEmail(
            messageID: message.internetMessageID, from: message.from, sender: message.from, to: message.to, cc: message.cc,
            bcc: senderCopy ? message.bcc : [], sentAt: message.sentAt, inReplyTo: message.inReplyTo.map { [$0] } ?? [],
            references: message.references, bulk: message.bulk || message.autoSubmitted, autoSubmitted: message.autoSubmitted,
            conversationID: message.conversationID)
    }

    /// The meeting as one copy tells it: the organizer's (`seenBy` nil) with every response, an attendee's with its own only.
    public static func record(_ occurrence: FakeOccurrence, seenBy viewer: String? = nil) -> ActivityMeeting {
        ActivityMeeting(
            uid: occurrence.uid, recurrenceID: occurrence.kind == .singleInstance ? nil : occurrence.originalStart, organizer: occurrence.organizer,
            attendees: occurrence.attendees.map { attendee in
                let response = viewer == nil || attendee.address == viewer ? attendee.response : "none"
                return ActivityAttendee(
                    address: attendee.address,
                    partstat: ["accepted": "ACCEPTED", "tentativelyAccepted": "TENTATIVE", "declined": "DECLINED"][response] ?? "NEEDS-ACTION",
                    role: attendee.type == "optional" ? "OPT-PARTICIPANT" : attendee.type == "resource" ? "NON-PARTICIPANT" : "REQ-PARTICIPANT",
                    cutype: attendee.type == "resource" ? "RESOURCE" : "INDIVIDUAL")
            },
            start: occurrence.start, end: occurrence.end, allDay: false, cancelled: occurrence.cancelled)
    }
}
