import Engagement
import Foundation
import Ingest
import Postgres
import Platform
import Testing

/// A small organization whose every figure is worked out by hand below.
///
/// Contoso (contoso.com) selects alice, bob and carol. As of 2026-06-30 12:00 UTC
/// the window starts 2025-06-30 12:00 UTC. Accounts: A1 Fabrikam (fabrikam.com),
/// A2 Tailspin (tailspin.com), A3 Northwind (only a Gmail contact), A4 Litware
/// (stale). Every message is built as RFC 5322 headers and every meeting as
/// iCalendar, and parsed by the production parsers.
@Suite("Hand-computed organization")
struct HandComputedOrganizationTests {
    static let asOf = Date(timeIntervalSince1970: 1_782_820_800)  // 2026-06-30T12:00:00Z
    static let selected: Set<String> = ["alice@contoso.com", "bob@contoso.com", "carol@contoso.com"]

    static var emails: [ActivityEmail] {
        [
            Mail.message(id: "e1", from: "Alice <alice@contoso.com>", to: ["jo@fabrikam.com"], date: "Mon, 01 Jun 2026 09:00:00 +0000"),
            // The same message again, from bob's mailbox: counted once.
            Mail.message(id: "e1", from: "Alice <alice@contoso.com>", to: ["jo@fabrikam.com"], date: "Mon, 01 Jun 2026 09:00:00 +0000"),
            Mail.message(id: "e2", from: "Jo <JO@Fabrikam.com>", to: ["alice@contoso.com"], date: "Mon, 01 Jun 2026 10:30:00 +0000", inReplyTo: "e1"),
            Mail.message(id: "e3", from: "bob@contoso.com", to: ["jo@fabrikam.com", "ann@fabrikam.com"], date: "Wed, 10 Jun 2026 08:00:00 +0000"),
            Mail.message(id: "e4", from: "ann@fabrikam.com", to: ["bob@contoso.com"], date: "Wed, 10 Jun 2026 12:00:00 +0000", inReplyTo: "e3"),
            // Two accounts in one message: a signal for each.
            Mail.message(id: "e5", from: "alice@contoso.com", to: ["sam@tailspin.com"], cc: ["jo@fabrikam.com"], date: "Mon, 15 Jun 2026 09:00:00 +0000"),
            Mail.message(id: "e6", from: "news@fabrikam.com", to: ["alice@contoso.com"], date: "Tue, 16 Jun 2026 07:00:00 +0000", extra: ["List-Unsubscribe: <mailto:unsubscribe@fabrikam.com>"]),
            Mail.message(id: "e7", from: "noreply@tailspin.com", to: ["bob@contoso.com"], date: "Tue, 16 Jun 2026 07:30:00 +0000"),
            Mail.message(id: "e8", from: "alice@contoso.com", to: ["bob@contoso.com"], date: "Tue, 16 Jun 2026 08:00:00 +0000"),
            Mail.message(id: "e9", from: "nw.boss@gmail.com", to: ["carol@contoso.com"], date: "Wed, 20 May 2026 14:00:00 +0000"),
            Mail.message(id: "e10", from: "random@gmail.com", to: ["carol@contoso.com"], date: "Wed, 20 May 2026 15:00:00 +0000"),
            Mail.message(id: "e11", from: "carol@contoso.com", to: ["pat@litware.com"], date: "Sun, 01 Mar 2026 10:00:00 +0000"),
            // A "reply" dated before the message it answers: no reply time.
            Mail.message(id: "e12", from: "pat@litware.com", to: ["carol@contoso.com"], date: "Sat, 28 Feb 2026 10:00:00 +0000", inReplyTo: "e11"),
            Mail.message(id: "e13", from: "sam@tailspin.com", to: ["alice@contoso.com"], date: "Tue, 16 Jun 2026 09:00:00 +0000", inReplyTo: "e5"),
            Mail.message(id: "e14", from: "jo@fabrikam.com", to: ["alice@contoso.com"], date: "Tue, 16 Jun 2026 10:00:00 +0000", inReplyTo: "e5"),
            // Fabrikam answering a message that only went to Tailspin: across accounts, no reply time.
            Mail.message(id: "e15", from: "ann@fabrikam.com", to: ["alice@contoso.com"], date: "Sun, 21 Jun 2026 09:00:00 +0000", inReplyTo: "e16"),
            Mail.message(id: "e16", from: "alice@contoso.com", to: ["sam@tailspin.com"], date: "Sat, 20 Jun 2026 09:00:00 +0000"),
            // Older than the window.
            Mail.message(id: "e17", from: "alice@contoso.com", to: ["jo@fabrikam.com"], date: "Fri, 01 May 2025 09:00:00 +0000"),
        ]
    }

    static let calendar = """
        BEGIN:VCALENDAR
        VERSION:2.0
        PRODID:-//Rapport tests//EN
        BEGIN:VEVENT
        UID:m1-weekly
        DTSTART:20260602T100000Z
        DTEND:20260602T103000Z
        RRULE:FREQ=WEEKLY;COUNT=4
        ORGANIZER:mailto:alice@contoso.com
        ATTENDEE;PARTSTAT=ACCEPTED:mailto:jo@fabrikam.com
        END:VEVENT
        BEGIN:VEVENT
        UID:m1-weekly
        RECURRENCE-ID:20260609T100000Z
        DTSTART:20260609T100000Z
        DTEND:20260609T103000Z
        STATUS:CANCELLED
        ORGANIZER:mailto:alice@contoso.com
        ATTENDEE:mailto:jo@fabrikam.com
        END:VEVENT
        BEGIN:VEVENT
        UID:m1-weekly
        RECURRENCE-ID:20260616T100000Z
        DTSTART:20260617T100000Z
        DTEND:20260617T110000Z
        ORGANIZER:mailto:alice@contoso.com
        ATTENDEE;PARTSTAT=ACCEPTED:mailto:jo@fabrikam.com
        END:VEVENT
        BEGIN:VEVENT
        UID:m2
        DTSTART:20260612T140000Z
        DTEND:20260612T150000Z
        ORGANIZER:mailto:jo@fabrikam.com
        ATTENDEE;PARTSTAT=ACCEPTED:mailto:alice@contoso.com
        ATTENDEE;PARTSTAT=ACCEPTED:mailto:bob@contoso.com
        ATTENDEE;CUTYPE=ROOM:mailto:room.1@contoso.com
        END:VEVENT
        BEGIN:VEVENT
        UID:m4-declined
        DTSTART:20260608T100000Z
        DTEND:20260608T103000Z
        ORGANIZER:mailto:alice@contoso.com
        ATTENDEE;PARTSTAT=DECLINED:mailto:pat@litware.com
        END:VEVENT
        BEGIN:VEVENT
        UID:m5-cancelled
        DTSTART:20260611T100000Z
        DTEND:20260611T110000Z
        STATUS:CANCELLED
        ORGANIZER:mailto:bob@contoso.com
        ATTENDEE:mailto:jo@fabrikam.com
        END:VEVENT
        BEGIN:VEVENT
        UID:m6-future
        DTSTART:20260702T100000Z
        DTEND:20260702T110000Z
        ORGANIZER:mailto:alice@contoso.com
        ATTENDEE:mailto:jo@fabrikam.com
        END:VEVENT
        \(largeMeeting)
        END:VCALENDAR
        """

    /// 60 attendees, over the limit of 50.
    static var largeMeeting: String {
        var lines = ["BEGIN:VEVENT", "UID:m3-large", "DTSTART:20260605T100000Z", "DTEND:20260605T110000Z", "ORGANIZER:mailto:alice@contoso.com"]
        lines.append("ATTENDEE:mailto:jo@fabrikam.com")
        for index in 0..<59 { lines.append("ATTENDEE:mailto:person\(index)@fabrikam.com") }
        lines.append("END:VEVENT")
        return lines.joined(separator: "\n")
    }

    static var meetings: [ActivityMeeting] {
        let text = calendar.replacingOccurrences(of: "\n", with: "\r\n")
        return ICalendarParser.meetings(
            Array(text.utf8), window: TimeWindow(from: asOf.addingTimeInterval(-400 * 86_400), to: asOf.addingTimeInterval(30 * 86_400)))
    }

    static var records: [ActivityRecord] { emails.map(ActivityRecord.email) + meetings.map(ActivityRecord.meeting) }

    func prepare() async throws -> PipelineHarness {
        let harness = try await PipelineHarness.make()
        _ = try await harness.customerData.replace(
            accounts: [
                BusinessAccount(id: "A1", name: "Fabrikam", domains: ["fabrikam.com"]),
                BusinessAccount(id: "A2", name: "Tailspin", domains: ["tailspin.com"]),
                BusinessAccount(id: "A3", name: "Northwind", domains: []),
                BusinessAccount(id: "A4", name: "Litware", domains: ["litware.com"]),
            ],
            contacts: [
                Contact(id: "C1", accountID: "A1", emailsByColumn: ["emailaddress1": "jo@fabrikam.com"]),
                Contact(id: "C2", accountID: "A3", emailsByColumn: ["emailaddress1": "nw.boss@gmail.com"]),
            ])
        return harness
    }

    @Test("the import keeps the right signals, skips by rule, and a second import changes nothing")
    func importFigures() async throws {
        let harness = try await prepare()
        let scope = harness.scope(asOf: Self.asOf, selected: Self.selected)
        let report = try await harness.importRecords(Self.records, scope: scope)
        #expect(report.recordsRead == Self.records.count)
        // e1 (counted once), e2, e3, e4, e5 ×2 accounts, e9, e11, e12, e13, e14, e15, e16.
        #expect(report.emailSignalsStored == 13)
        // m1 ×3 occurrences (one cancelled), m2.
        #expect(report.meetingSignalsStored == 4)
        #expect(report.duplicates == 1)
        #expect(report.skipped["bulk"] == 1)
        #expect(report.skipped["no_reply_sender"] == 1)
        #expect(report.skipped["internal_only"] == 1)
        #expect(report.skipped["no_account"] == 1)
        #expect(report.skipped["large_meeting"] == 1)
        #expect(report.skipped["declined_meeting"] == 1)
        #expect(report.skipped["cancelled_meeting"] == 2)
        #expect(report.outsideWindow == 2)
        #expect(report.accountsMatched == 4)

        let again = try await harness.importRecords(Self.records, scope: scope)
        #expect(again.emailSignalsStored == 0)
        #expect(again.meetingSignalsStored == 0)
        let counts = try await harness.database.withTenant(harness.tenantID) { connection in
            try await connection.query("SELECT (SELECT count(*) FROM email_signal), (SELECT count(*) FROM meeting_signal)")[0]
                .decode((Int, Int).self)
        }
        #expect(counts.0 == 13 && counts.1 == 4)
        await harness.shutdown()
    }

    @Test("every column at the Year level, and Month and Week rows, match the hand-computed values")
    func everyColumn() async throws {
        let harness = try await prepare()
        _ = try await harness.importRecords(Self.records, scope: harness.scope(asOf: Self.asOf, selected: Self.selected))
        let run = EnrichmentAggregator.RunSpec(asOf: Self.asOf, weights: .defaults)
        let summary = try await harness.aggregator.aggregate(run)
        try await harness.aggregator.publish(runID: run.runID, at: Self.asOf)

        #expect(summary.enrichedCustomers == 4)
        #expect(summary.emailsProcessed == 12)
        #expect(summary.meetingsProcessed == 4)
        // 28 Feb 2026 (e12) to 23 Jun 2026 (m1), both included.
        #expect(summary.daysOfData == 116)

        var query = ResultsStore.Query()
        query.level = "Year"
        query.sort = .accountID
        query.descending = false
        let year = try #require(try await harness.results.rows(query))
        #expect(year.total == 4)
        let rows = Dictionary(uniqueKeysWithValues: year.rows.map { ($0.accountID, $0) })

        let a1 = try #require(rows["A1"])
        #expect(a1.emailsToAccount == 3)  // e1, e3, e5
        #expect(a1.emailsFromAccount == 4)  // e2, e4, e14, e15
        #expect(a1.meetingsToAccount == 3)  // m1 on 2, 17 (moved from 16) and 23 June
        #expect(a1.meetingsFromAccount == 1)  // m2
        #expect(a1.contactsInvolvedEmails == 2)  // alice, bob
        #expect(a1.contactsInvolvedMeetings == 2)  // alice, bob (the room is not a person)
        #expect(a1.accountContactsInvolvedEmails == 2)  // jo, ann
        #expect(a1.accountContactsInvolvedMeetings == 1)  // jo
        #expect(a1.engagementStartDate == "2026-06-01")
        #expect(a1.daysSinceLastEmail == 9)  // e15, 21 June 09:00
        #expect(a1.daysSinceLastMeeting == 7)  // m1, 23 June 10:00
        #expect(a1.averageDurationOfMeetings == 45)  // (30 + 60 + 30 + 60) / 4
        #expect(a1.averageDurationOfAccountEmailReplies == 610)  // (90 + 240 + 1500) / 3; e15 is across accounts
        #expect(a1.aggregationStartDate == "2025-06-30")
        #expect(a1.aggregationLevel == "Year")

        let a2 = try #require(rows["A2"])
        #expect((a2.emailsToAccount, a2.emailsFromAccount, a2.meetingsToAccount, a2.meetingsFromAccount) == (2, 1, 0, 0))
        #expect((a2.contactsInvolvedEmails, a2.accountContactsInvolvedEmails) == (1, 1))
        #expect((a2.contactsInvolvedMeetings, a2.accountContactsInvolvedMeetings) == (0, 0))
        #expect(a2.engagementStartDate == "2026-06-15")
        #expect(a2.daysSinceLastEmail == 10)
        #expect(a2.daysSinceLastMeeting == nil)
        #expect(a2.averageDurationOfMeetings == nil)
        #expect(a2.averageDurationOfAccountEmailReplies == 1440)  // e13 answers e5 a day later

        let a3 = try #require(rows["A3"])
        #expect((a3.emailsToAccount, a3.emailsFromAccount) == (0, 1))  // e9, matched through the Gmail contact
        #expect(a3.daysSinceLastEmail == 40)
        #expect(a3.averageDurationOfAccountEmailReplies == nil)

        let a4 = try #require(rows["A4"])
        #expect((a4.emailsToAccount, a4.emailsFromAccount) == (1, 1))
        #expect(a4.engagementStartDate == "2026-02-28")
        #expect(a4.daysSinceLastEmail == 121)
        #expect(a4.averageDurationOfAccountEmailReplies == nil)  // the "reply" predates e11

        // Month: everything of A1 falls in June 2026.
        var monthQuery = ResultsStore.Query()
        monthQuery.level = "Month"
        monthQuery.accountID = "A1"
        let months = try #require(try await harness.results.rows(monthQuery)).rows
        #expect(months.map(\.aggregationStartDate) == ["2026-06-01"])
        #expect(months.first?.emailsFromAccount == 4)
        let litwareMonths = try await monthsOf("A4", harness)
        #expect(litwareMonths.map(\.aggregationStartDate) == ["2026-02-01", "2026-03-01"])
        #expect(litwareMonths.map(\.emailsFromAccount) == [1, 0])
        #expect(litwareMonths.map(\.emailsToAccount) == [0, 1])

        // Weeks start on Monday: 21 June (a Sunday) belongs to the week of 15 June.
        var weekQuery = ResultsStore.Query()
        weekQuery.level = "Week"
        weekQuery.accountID = "A1"
        weekQuery.sort = .aggregationStartDate
        weekQuery.descending = false
        let weeks = try #require(try await harness.results.rows(weekQuery)).rows
        #expect(weeks.map(\.aggregationStartDate) == ["2026-06-01", "2026-06-08", "2026-06-15", "2026-06-22"])
        #expect(weeks.map(\.emailsToAccount) == [1, 1, 1, 0])
        #expect(weeks.map(\.emailsFromAccount) == [1, 1, 2, 0])
        #expect(weeks.map(\.meetingsToAccount) == [1, 0, 1, 1])
        #expect(weeks.map(\.meetingsFromAccount) == [0, 1, 0, 0])
        #expect(weeks.map(\.averageDurationOfAccountEmailReplies) == [90, 240, 1500, nil])
        #expect(weeks[2].accountContactsInvolvedEmails == 2)  // jo (e5, e14) and ann (e15)

        // The score, against the Swift reference on the same inputs.
        let inputs = [
            ScoreInputs(accountID: "A1", emailsToAccount: 3, emailsFromAccount: 4, meetingsToAccount: 3, meetingsFromAccount: 1,
                        meetingMinutes: 180, internalPeople: 2, accountPeople: 2, daysSinceLastActivity: 7 + 2.0 / 24, averageReplyMinutes: 610),
            ScoreInputs(accountID: "A2", emailsToAccount: 2, emailsFromAccount: 1, meetingsToAccount: 0, meetingsFromAccount: 0,
                        meetingMinutes: 0, internalPeople: 1, accountPeople: 1, daysSinceLastActivity: 10 + 3.0 / 24, averageReplyMinutes: 1440),
            ScoreInputs(accountID: "A3", emailsToAccount: 0, emailsFromAccount: 1, meetingsToAccount: 0, meetingsFromAccount: 0,
                        meetingMinutes: 0, internalPeople: 1, accountPeople: 1, daysSinceLastActivity: 40 + 22.0 / 24, averageReplyMinutes: nil),
            ScoreInputs(accountID: "A4", emailsToAccount: 1, emailsFromAccount: 1, meetingsToAccount: 0, meetingsFromAccount: 0,
                        meetingMinutes: 0, internalPeople: 1, accountPeople: 1, daysSinceLastActivity: 121 + 2.0 / 24, averageReplyMinutes: nil),
        ]
        let reference = Dictionary(uniqueKeysWithValues: EngagementScoring.score(inputs, weights: .defaults).map { ($0.accountID, $0) })
        for account in ["A1", "A2", "A3", "A4"] {
            let card = try #require(try await harness.results.customerCard(accountID: account))
            let expected = try #require(reference[account])
            #expect(abs(card.rawScore - expected.raw) < 1e-9, "\(account): SQL \(card.rawScore), Swift \(expected.raw)")
            #expect(card.year.engagementScore == expected.score, "\(account)")
            for component in expected.components {
                let stored = try #require(card.breakdown.first { $0.name == component.name }, "\(component.name)")
                #expect(abs(stored.input - component.input) < 1e-9, "\(account) \(component.name) input")
                #expect(abs(stored.contribution - component.contribution) < 1e-9, "\(account) \(component.name)")
            }
        }
        #expect(rows["A1"]?.engagementScore == 100)
        #expect(Set(year.rows.map(\.engagementScore)).allSatisfy { (0...100).contains($0) })
        let card = try #require(try await harness.results.customerCard(accountID: "A1"))
        #expect(card.name == "Fabrikam")
        #expect(card.totalEmails == 7)
        #expect(card.totalMeetings == 4)
        #expect(card.monthly.map(\.aggregationStartDate) == ["2026-06-01"])
        await harness.shutdown()
    }

    func monthsOf(_ account: String, _ harness: PipelineHarness) async throws -> [EnrichedRow] {
        var query = ResultsStore.Query()
        query.level = "Month"
        query.accountID = account
        query.sort = .aggregationStartDate
        query.descending = false
        return try #require(try await harness.results.rows(query)).rows
    }
}
