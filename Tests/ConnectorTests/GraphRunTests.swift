import AdminAPI
import Connectors
import Engagement
import FakeGraph
import Foundation
import HummingbirdTesting
import Postgres
import Store
import Testing
import Worker

@Suite("Graph runs: collection, delta rounds, faults, a forbidden mailbox, privacy")
struct GraphRunTests {
    /// Runs the queued run to its end with the in-process worker.
    func execute(_ harness: GraphHarness, _ fixture: GraphTenantFixture, _ run: UUID) async throws -> RunRecord {
        #expect(try await harness.worker().runOnce())
        return try #require(try await harness.platform.runs.run(tenant: fixture.tenantID, id: run))
    }

    /// The Graph environment's signals equal the reference's, filled by a direct import of `records`.
    func expectSameSignals(_ harness: GraphHarness, _ fixture: GraphTenantFixture, _ records: [ActivityRecord], sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await harness.clearSignals(fixture.reference, tenant: fixture.tenantID)
        try await harness.importDirectly(records, into: fixture.reference, tenant: fixture.tenantID)
        let collected = try await harness.signals(fixture.environment, tenant: fixture.tenantID)
        let expected = try await harness.signals(fixture.reference, tenant: fixture.tenantID)
        #expect(collected.emails.count == expected.emails.count, sourceLocation: sourceLocation)
        #expect(collected.meetings.count == expected.meetings.count, sourceLocation: sourceLocation)
        let emailDifference = Set(collected.emails).symmetricDifference(expected.emails)
        let meetingDifference = Set(collected.meetings).symmetricDifference(expected.meetings)
        #expect(emailDifference.isEmpty, "email signals differ: \(emailDifference.sorted().prefix(5))", sourceLocation: sourceLocation)
        #expect(meetingDifference.isEmpty, "meeting signals differ: \(meetingDifference.sorted().prefix(5))", sourceLocation: sourceLocation)
        #expect(!expected.emails.isEmpty && !expected.meetings.isEmpty, sourceLocation: sourceLocation)
    }

    @Test("a run resolves the groups through Graph, collects every mailbox and publishes exactly the generated activity; the next run fetches only changes")
    func collectThenDelta() async throws {
        let harness = try await GraphHarness.make(.init(mailboxes: 6, messagesPerMailbox: 30, meetingsPerMailbox: 24, seed: 11))
        try await harness.test { client in
            let fixture = try await GraphTenantFixture.create(client, harness: harness)
            let store = harness.store
            harness.store.directoryPageSize = 2

            let first = try await execute(harness, fixture, try await fixture.runNow(client))
            #expect(first.status == .succeeded, "\(first.error ?? "") \(first.steps.compactMap(\.error))")
            let email = try #require(first.steps.first { $0.step == .collectEmail })
            #expect(email.state == .succeeded)
            #expect(email.counts["mailboxes_total"] == 6)
            #expect(email.counts["mailboxes_done"] == 6)
            #expect(email.counts["directory_foreign_members"] == 1)  // the guest in a nested group
            #expect(email.counts["token_requests"] == 1)
            let meetings = try #require(first.steps.first { $0.step == .collectMeetings })
            #expect(meetings.counts["mailboxes_done"] == 6)
            #expect(first.steps.last?.state == .succeeded)
            try await expectSameSignals(harness, fixture, harness.tenant.expectedRecords())

            // Office_UserEntity: the directory ids Graph gave.
            let users = try await client.call(.get, "\(fixture.base)/enrichment/users", key: fixture.viewerKey)
            let entity = try #require(users["Office_UserEntity"] as? [[String: Any]])
            let staff = harness.tenant.users.prefix(6)
            #expect(entity.map { $0["Email"] as? String } == staff.map(\.address).sorted().map { Optional($0) })
            #expect(Set(entity.compactMap { $0["DirectoryId"] as? String }) == Set(staff.map(\.id)))

            // The fake saw headers-only requests with the preferences.
            var counters = store.counters
            #expect(counters.selectViolations == 0)
            #expect(counters.withoutImmutableIDs == 0)
            #expect(counters.withoutPageSize == 0)
            #expect(counters.fullSyncs == 18)  // inbox, sent items, calendar × 6
            #expect(counters.maximumConcurrentPerMailbox <= 4)

            // Changes: new mail (a reply among it), a copy deleted, an occurrence cancelled, a meeting moved, one booked.
            let tenant = harness.tenant
            let owner = tenant.users[0]
            let now = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
            let parent = try #require(tenant.messages.first { $0.from == owner.address && $0.to.first?.contains("@account") == true && $0.cc.isEmpty })
            store.add(FakeMessage(
                internetMessageID: "new-1@account0.example", conversationID: parent.conversationID, from: parent.to[0], to: [owner.address],
                sentAt: now.addingTimeInterval(-600), inReplyTo: parent.internetMessageID, references: [parent.internetMessageID], subject: "Re: new"))
            store.add(FakeMessage(
                internetMessageID: "new-2@mail.\(tenant.domain)", conversationID: "conv-new-2", from: tenant.users[1].address, to: ["c0@account1.example"],
                cc: [owner.address], sentAt: now.addingTimeInterval(-300), subject: "New proposal"))
            let received = try #require(tenant.messages.first { $0.to == [owner.address] && !$0.bulk })
            store.deleteCopy(of: received.internetMessageID, user: owner.id, folder: "inbox")
            let series = try #require(tenant.occurrences.first { $0.kind == .occurrence && !$0.cancelled && $0.organizer == owner.address })
            store.update(occurrence: series.key) { $0.cancelled = true }
            // Only the organizer's calendar tells of this cancellation: no tenant attendee holds a copy.
            let lonely = try #require(tenant.occurrences.first { occurrence in
                occurrence.kind == .singleInstance && occurrence.organizer == owner.address && occurrence.start < now
                    && occurrence.attendees.allSatisfy { !$0.address.hasSuffix("@" + tenant.domain) && $0.response == "accepted" && $0.type == "required" }
            })
            #expect(try await harness.meetingSignals(of: lonely, environment: fixture.environment, tenant: fixture.tenantID) == 1)
            store.update(occurrence: lonely.key) { $0.cancelled = true }
            let single = try #require(tenant.occurrences.first { occurrence in
                occurrence.kind == .singleInstance && occurrence.organizer == tenant.users[2].address && occurrence.start < now
                    && occurrence.attendees.contains { $0.address.hasSuffix("@" + tenant.domain) == false && $0.response == "accepted" && $0.type == "required" }
            })
            #expect(try await harness.meetingSignals(of: single, environment: fixture.environment, tenant: fixture.tenantID) == 1)
            store.update(occurrence: single.key) {
                $0.start = $0.start.addingTimeInterval(86_400)
                $0.end = $0.end.addingTimeInterval(86_400)
            }
            store.add(FakeOccurrence(
                uid: "uid-new@\(tenant.domain)", start: now.addingTimeInterval(-7200), end: now.addingTimeInterval(-3600), organizer: owner.address,
                attendees: [.init(address: "c1@account2.example")], subject: "Booked"))
            store.resetCounters()

            let second = try await execute(harness, fixture, try await fixture.runNow(client))
            #expect(second.status == .succeeded, "\(second.error ?? "")")
            counters = store.counters
            #expect(counters.fullSyncs == 0)
            #expect(counters.deltaRequests == 18)
            #expect(counters.itemsServed < 30, "only changes are served: \(counters.itemsServed)")
            let secondEmail = try #require(second.steps.first { $0.step == .collectEmail })
            #expect(secondEmail.counts["removed"] == 1)
            #expect(secondEmail.counts["emails"] == 3)  // new-1 in the owner's inbox; new-2 in its sender's Sent Items and the owner's inbox
            let secondMeetings = try #require(second.steps.first { $0.step == .collectMeetings })
            #expect((secondMeetings.counts["removed"] ?? 0) >= 1)
            #expect(try await harness.meetingSignals(of: lonely, environment: fixture.environment, tenant: fixture.tenantID) == 0)
            #expect(try await harness.meetingSignals(of: single, environment: fixture.environment, tenant: fixture.tenantID) == 0)
            var moved = single
            moved.start = single.start.addingTimeInterval(86_400)
            #expect(try await harness.meetingSignals(of: moved, environment: fixture.environment, tenant: fixture.tenantID) == 1)
            // Removed message copies are not applied (the message was sent); cancelled and moved meetings are.
            try await expectSameSignals(harness, fixture, harness.tenant.expectedRecords())
        }
        await harness.shutdown()
    }
}
