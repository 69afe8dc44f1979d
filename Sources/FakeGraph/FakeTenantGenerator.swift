import FakeServiceKit
import Foundation

/// Generates a deterministic tenant: users, nested groups, a year of mail and meetings per mailbox.
///
/// The same parameters give the same tenant. Mail goes to and comes from the
/// contacts of external accounts (`account{k}.example`), with replies
/// (In-Reply-To, References), colleagues in copy, list mail and automatic
/// replies; meetings include a weekly series per organizer with one moved
/// occurrence (an exception) and one cancelled, declined invitations, rooms,
/// and a few meetings scheduled ahead.
public enum FakeTenantGenerator {
    public struct Parameters: Sendable {
        public var mailboxes: Int
        /// Messages each mailbox owner sends or receives (copies for colleagues in copy come on top).
        public var messagesPerMailbox: Int
        /// Meeting occurrences each mailbox owner organizes, times two (each also attends about as many).
        public var meetingsPerMailbox: Int
        public var externalAccounts: Int
        public var contactsPerAccount: Int
        public var seed: UInt64
        /// The end of the generated year.
        public var now: Date
        public var domain: String
        public var entraTenantID: String

        public init(
            mailboxes: Int = 6, messagesPerMailbox: Int = 40, meetingsPerMailbox: Int = 20, externalAccounts: Int = 5, contactsPerAccount: Int = 3,
            seed: UInt64 = 1, now: Date = Date(), domain: String = "contoso.example",
            entraTenantID: String = "8c2b5a43-6f4e-4c1d-9b7a-2f0e1d3c4b5a"
        ) {
            self.mailboxes = mailboxes
            self.messagesPerMailbox = messagesPerMailbox
            self.meetingsPerMailbox = meetingsPerMailbox
            self.externalAccounts = externalAccounts
            self.contactsPerAccount = contactsPerAccount
            self.seed = seed
            self.now = now
            self.domain = domain
            self.entraTenantID = entraTenantID
        }
    }

    public static func generate(_ parameters: Parameters) -> FakeTenant {
        var random = SplitMix64(seed: parameters.seed)
        let domain = parameters.domain
        // Whole seconds everywhere: Graph's timestamps have no fractions.
        let now = Date(timeIntervalSince1970: parameters.now.timeIntervalSince1970.rounded(.down))
        func uuid() -> String {
            let a = random.next()
            let b = random.next()
            let hex = String(format: "%016llx%016llx", a, b)
            let c = Array(hex)
            return "\(String(c[0..<8]))-\(String(c[8..<12]))-4\(String(c[13..<16]))-8\(String(c[17..<20]))-\(String(c[20..<32]))"
        }
        var users = (0..<parameters.mailboxes).map { index in
            FakeUser(id: uuid(), mail: "user\(index)@\(domain)", userPrincipalName: "user\(index)@\(domain)", displayName: "User \(index)")
        }
        // A user without a mailbox, and a guest from another organization (both left out by the connector).
        users.append(FakeUser(id: uuid(), mail: nil, userPrincipalName: "scanner@\(domain)", displayName: "Scanner", hasMailbox: false))
        users.append(FakeUser(id: uuid(), mail: "guest@partner.example", userPrincipalName: "guest_partner.example#EXT#@\(domain)", displayName: "Guest"))
        let staff = Array(users.prefix(parameters.mailboxes))
        let half = max(1, staff.count / 2)
        let nested = FakeGroup(id: uuid(), displayName: "Sales EMEA", mail: nil, members: staff.dropFirst(half).map(\.id))
        let loop = FakeGroup(id: uuid(), displayName: "Loop", mail: nil, members: [nested.id] + [users[users.count - 1].id])
        var nestedWithLoop = nested
        nestedWithLoop.members.append(loop.id)
        let sales = FakeGroup(id: uuid(), displayName: "Sales", mail: "sales@\(domain)", members: staff.prefix(half).map(\.id) + [nestedWithLoop.id])
        let everyone = FakeGroup(id: uuid(), displayName: "Everyone", mail: "everyone@\(domain)", members: users.map(\.id))

        let accounts = (0..<max(1, parameters.externalAccounts)).map { "account\($0).example" }
        func contact(_ account: Int, _ index: Int) -> String { "c\(index)@\(accounts[account % accounts.count])" }
        let yearStart = now.addingTimeInterval(-360 * 86_400)
        func instant(after start: Date, within seconds: Double) -> Date {
            Date(timeIntervalSince1970: (start.timeIntervalSince1970 + Double(random.next() % UInt64(max(1, seconds)))).rounded(.down))
        }
        func pick<T>(_ items: [T]) -> T { items[Int(random.next() % UInt64(items.count))] }

        var messages: [FakeMessage] = []
        messages.reserveCapacity(parameters.mailboxes * parameters.messagesPerMailbox)
        for (ownerIndex, owner) in staff.enumerated() {
            var sent: [FakeMessage] = []
            for index in 0..<parameters.messagesPerMailbox {
                let roll = random.next() % 100
                let account = Int(random.next() % UInt64(accounts.count))
                let person = contact(account, Int(random.next() % UInt64(max(1, parameters.contactsPerAccount))))
                let colleague = staff.count > 1 ? staff[(ownerIndex + 1 + Int(random.next() % UInt64(staff.count - 1))) % staff.count].address : owner.address
                let id = "m\(parameters.seed).\(ownerIndex).\(index)"
                var message = FakeMessage(
                    internetMessageID: "\(id)@mail.\(domain)", conversationID: "conv-\(id)", from: owner.address, to: [person],
                    sentAt: instant(after: yearStart, within: 359 * 86_400), subject: "Proposal \(id) for \(person)")
                switch roll {
                case 0..<42:
                    // To the account (sometimes two people, a colleague in copy, another account in Bcc).
                    if random.next() % 4 == 0 { message.to.append(contact(account, Int(random.next() % 7) + 1)) }
                    if random.next() % 6 == 0 { message.cc = [colleague] }
                    if random.next() % 15 == 0 { message.bcc = [contact(account + 1, 0)] }
                    sent.append(message)
                case 42..<80:
                    message.internetMessageID = "\(id)@\(accounts[account])"
                    message.from = person
                    message.to = [owner.address]
                    if random.next() % 8 == 0 { message.cc = [colleague] }
                case 80..<90 where !sent.isEmpty:
                    // A reply from the account to an earlier message of the owner.
                    let parent = pick(sent)
                    message.internetMessageID = "\(id)@\(accounts[account])"
                    message.from = parent.to[0]
                    message.to = [owner.address]
                    message.inReplyTo = parent.internetMessageID
                    message.references = [parent.internetMessageID]
                    message.conversationID = parent.conversationID
                    message.sentAt = min(now.addingTimeInterval(-60), parent.sentAt.addingTimeInterval(Double(3600 + random.next() % (48 * 3600))))
                case 90..<94:
                    message.internetMessageID = "\(id)@news.\(accounts[account])"
                    message.from = "news@\(accounts[account])"
                    message.to = [owner.address]
                    message.bulk = true
                case 94..<97:
                    message.internetMessageID = "\(id)@\(accounts[account])"
                    message.from = person
                    message.to = [owner.address]
                    message.autoSubmitted = true
                default:
                    // Internal only.
                    message.to = [colleague]
                }
                messages.append(message)
            }
        }

        var occurrences: [FakeOccurrence] = []
        for (ownerIndex, owner) in staff.enumerated() {
            let count = max(0, parameters.meetingsPerMailbox / 2)
            let colleague = staff.count > 1 ? staff[(ownerIndex + 1) % staff.count].address : owner.address
            var made = 0
            if count >= 10 {
                // A weekly series of 10: the 4th moved by an hour (an exception), the 7th cancelled.
                let account = Int(random.next() % UInt64(accounts.count))
                let first = instant(after: yearStart.addingTimeInterval(30 * 86_400), within: 200 * 86_400)
                let uid = "040000008200E00074C5B7101A82E008\(String(format: "%08X", ownerIndex))\(String(format: "%08llX", parameters.seed))"
                let attendees = [FakeOccurrence.Attendee(address: contact(account, 0)), .init(address: colleague, response: "tentativelyAccepted")]
                for week in 0..<10 {
                    let original = first.addingTimeInterval(Double(week) * 7 * 86_400)
                    let moved = week == 3
                    let start = moved ? original.addingTimeInterval(3600) : original
                    occurrences.append(FakeOccurrence(
                        uid: uid, kind: moved ? .exception : .occurrence, originalStart: original, start: start, end: start.addingTimeInterval(1800),
                        organizer: owner.address, attendees: attendees, cancelled: week == 6, subject: "Weekly sync \(ownerIndex)"))
                }
                made = 10
            }
            while made < count {
                let account = Int(random.next() % UInt64(accounts.count))
                let ahead = made % 25 == 24
                let start = ahead
                    ? instant(after: now.addingTimeInterval(86_400), within: 30 * 86_400)
                    : instant(after: yearStart, within: 358 * 86_400)
                var attendees = [FakeOccurrence.Attendee(address: contact(account, Int(random.next() % UInt64(max(1, parameters.contactsPerAccount)))))]
                if random.next() % 3 == 0 { attendees.append(.init(address: colleague)) }
                if random.next() % 9 == 0 { attendees.append(.init(address: "room4@\(domain)", type: "resource")) }
                if random.next() % 10 == 0 { attendees[0].response = "declined" }
                let external = random.next() % 5 == 0
                occurrences.append(FakeOccurrence(
                    uid: "uid-\(parameters.seed)-\(ownerIndex)-\(made)@\(external ? accounts[account] : domain)", start: start,
                    end: start.addingTimeInterval(Double(15 * (1 + random.next() % 8)) * 60),
                    organizer: external ? attendees[0].address : owner.address,
                    attendees: external ? [.init(address: owner.address)] + attendees.dropFirst() : attendees,
                    subject: "Meeting \(ownerIndex)-\(made)"))
                made += 1
            }
        }
        return FakeTenant(
            entraTenantID: parameters.entraTenantID, domain: domain, users: users, groups: [sales, nestedWithLoop, loop, everyone], messages: messages,
            occurrences: occurrences)
    }
}
