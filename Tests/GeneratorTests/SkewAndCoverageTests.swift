import Engagement
import Foundation
import Generator
import Testing

/// The organization looks like a real one: skewed activity and contacts, and every kind of noise.
@Suite("Skew and noise coverage")
struct SkewAndCoverageTests {
    let fixture = GeneratedFixture.shared
    var figures: ExpectedFigures { fixture.figures }
    var accounts: [SyntheticAccount] { fixture.organization.accounts }
    var asOf: Int { GeneratedFixture.spec.asOfSeconds }

    @Test("a few hot accounts hold much of the activity; a long tail holds little each")
    func activityIsSkewed() {
        let signals = figures.accounts.map(\.signals).sorted(by: >)
        let total = signals.reduce(0, +)
        let top5 = signals.prefix(5).reduce(0, +)
        #expect(Double(top5) / Double(total) > 0.2)
        let median = signals[signals.count / 2]
        #expect(signals[0] > 20 * max(median, 1))
        // The accounts ranked hot are among the busiest.
        let busiest = Set(figures.busiest(10))
        for index in accounts.indices where accounts[index].tier == .hot { #expect(busiest.contains(index)) }
    }

    @Test("stale accounts have nothing counted in the last 90 days; inactive ones nothing at all")
    func staleAndInactive() {
        let stale = Set(figures.stale(asOf: asOf))
        let planned = accounts.indices.filter { accounts[$0].tier == .stale }
        #expect(planned.count >= 10)
        for index in planned {
            #expect(stale.contains(index), "\(accounts[index].name) planned stale")
            #expect(figures.accounts[index].signals > 0)
        }
        let inactive = accounts.indices.filter { accounts[$0].tier == .inactive }
        #expect(inactive.count >= 5)
        for index in inactive { #expect(figures.accounts[index].signals == 0) }
        // Active accounts of any size have recent activity more often than not.
        let recent = accounts.indices.filter { accounts[$0].tier != .stale && accounts[$0].tier != .inactive && !stale.contains($0) }
        #expect(recent.count > accounts.count / 2)
    }

    @Test("contacts: 1–8 per account, skewed; free-mail contacts; subsidiaries on subdomains")
    func contacts() {
        let counts = accounts.map(\.contacts.count)
        #expect(counts.allSatisfy { (1...8).contains($0) })
        #expect(counts.filter { $0 == 1 }.count > counts.filter { $0 >= 5 }.count)
        for account in accounts where account.tier == .hot { #expect(account.contacts.count >= 5) }
        let contacts = fixture.organization.contacts
        #expect(contacts.contains { $0.isFreeMail && $0.person != nil })
        #expect(contacts.contains { $0.person == nil })
        #expect(contacts.contains { $0.email1 != $0.email1.lowercased() })
        let subsidiaries = accounts.filter { $0.parent != nil }
        #expect(!subsidiaries.isEmpty)
        for sub in subsidiaries {
            let parent = accounts[sub.parent!]
            #expect(sub.domains[0].hasSuffix("." + parent.domains[0]))
        }
        #expect(accounts.contains { $0.domains.isEmpty })
        #expect(accounts.contains { $0.domains.count == 2 })
    }

    @Test("every email noise rule, and mail outside the window")
    func emailNoise() {
        let skipped = figures.emailsSkipped
        for rule in [NoiseRule.internalOnly, .bulk, .noReplySender, .autoSubmitted, .noAccount, .noSelectedParticipant] {
            #expect((skipped[rule] ?? 0) > 0, "no email skipped as \(rule)")
        }
        #expect(figures.emailsOutsideWindow > 0)
        let emails = fixture.emails
        #expect(emails.contains { $0.messageID == nil && $0.expectation.isCounted })
        #expect(emails.contains { !$0.bcc.isEmpty })
        #expect(emails.contains { if case .counted(let c) = $0.expectation { return c.count >= 2 } else { return false } })
        #expect(emails.contains { $0.from.name.unicodeScalars.contains { !$0.isASCII } })
        #expect(emails.contains { $0.mailboxes.count >= 2 })
        // A free-mail contact's mail counts for its account.
        let freeMail = Set(fixture.organization.contacts.filter(\.isFreeMail).compactMap { $0.person?.address })
        #expect(emails.contains { freeMail.contains($0.from.address) && $0.expectation.isCounted })
    }

    @Test("every meeting noise rule; series with a moved, a cancelled and an excluded occurrence; all-day meetings")
    func meetingNoise() {
        let skipped = figures.meetingsSkipped
        for rule in [NoiseRule.cancelledMeeting, .largeMeeting, .declinedMeeting, .internalOnly] {
            #expect((skipped[rule] ?? 0) > 0, "no meeting skipped as \(rule)")
        }
        #expect(figures.meetingsOutsideWindow > 0)
        let events = fixture.events
        let series = events.filter { $0.recurrence?.frequency == .weekly && $0.organizer.accountIndex == nil }
        #expect(series.contains { $0.occurrences.contains(where: \.moved) && $0.occurrences.contains(where: \.cancelled) && !$0.recurrence!.excluded.isEmpty })
        #expect(events.contains { $0.recurrence == nil && $0.cancelled })
        #expect(events.contains { $0.allDay })
        #expect(events.contains { $0.attendees.contains { $0.person.isRoom } })
        #expect(events.contains { $0.recurrence?.frequency == .monthly && $0.attendees.count > 50 })
        #expect(events.contains { event in event.occurrences.contains { $0.start > asOf } })
        #expect(events.contains { $0.organizer.accountIndex != nil && $0.occurrences.contains { $0.expectation.isCounted } })
    }

    @Test("every email and meeting is in at least one selected mailbox")
    func everythingIsCollected() {
        #expect(fixture.emails.allSatisfy { !$0.mailboxes.isEmpty })
        #expect(fixture.events.allSatisfy { !$0.mailboxes.isEmpty })
    }

    @Test("replies come minutes to days later")
    func replyDelays() {
        var byID: [String: GeneratedEmail] = [:]
        for email in fixture.emails { if let id = email.messageID { byID[id] = email } }
        var delays: [Int] = []
        for email in fixture.emails {
            if let parent = email.inReplyTo.flatMap({ byID[$0] }) { delays.append(email.sentAt - parent.sentAt) }
        }
        delays.sort()
        #expect(delays.count > 1_000)
        #expect(delays[delays.count / 20] < 3_600)
        #expect(delays[delays.count / 2] > 1_800 && delays[delays.count / 2] < 86_400)
        #expect(delays[delays.count * 95 / 100] > 86_400)
    }

    @Test("the manifest states the expected figures")
    func manifest() throws {
        let data = try Data(contentsOf: fixture.folder.appendingPathComponent("manifest.json"))
        let object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        #expect(object["seed"] as? String == "42")
        let expected = object["expected"] as! [String: Any]
        #expect(expected["enriched_customers"] as? Int == figures.enrichedAccounts.count)
        #expect((expected["hot_accounts"] as! [String]).count == 5)
        #expect((expected["stale_accounts"] as! [String]).count == figures.stale(asOf: asOf).count)
        let perAccount = expected["accounts"] as! [[String: Any]]
        #expect(perAccount.count == figures.enrichedAccounts.count)
        let counts = object["counts"] as! [String: Any]
        #expect(counts["emails"] as? Int == GeneratedFixture.spec.totalEmails)
        #expect(counts["meeting_occurrences"] as? Int == GeneratedFixture.spec.totalMeetings)
    }
}
