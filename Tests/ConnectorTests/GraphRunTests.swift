import AdminAPI
import Connectors
import Engagement
import FakeGraph
import Foundation
import HummingbirdTesting
import Postgres
import Platform
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
            #expect(first.steps.first { $0.step == .publish }?.state == .succeeded)
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

    @Test("throttling (429, 503, 504 with Retry-After), server errors, an expired token and 410 restarts during runs: the result is still exact")
    func faults() async throws {
        let harness = try await GraphHarness.make(.init(mailboxes: 4, messagesPerMailbox: 30, meetingsPerMailbox: 20, seed: 23)) { $0.maximumRetries = 12 }
        try await harness.test { client in
            let fixture = try await GraphTenantFixture.create(client, harness: harness)
            let store = harness.store
            store.updateFaults {
                $0.throttleRate = 0.2
                $0.retryAfterSeconds = 0
                $0.scripted = [503, 504, 500, 502, 429]
            }
            let first = try await execute(harness, fixture, try await fixture.runNow(client))
            #expect(first.status == .succeeded, "\(first.error ?? "")")
            let email = try #require(first.steps.first { $0.step == .collectEmail })
            #expect((email.counts["throttled"] ?? 0) > 0)
            #expect((email.counts["retries"] ?? 0) >= 2)  // the 500 and the 502
            #expect(email.counts["mailboxes_done"] == 4)
            try await expectSameSignals(harness, fixture, harness.tenant.expectedRecords())

            // New mail, the tokens expire, and two folders' delta states are gone (410): those two sync from scratch.
            let owner = harness.tenant.users[0]
            store.add(FakeMessage(
                internetMessageID: "late@account1.example", conversationID: "late", from: "c0@account1.example", to: [owner.address],
                sentAt: Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down) - 60), subject: "Late"))
            store.expireTokens()
            let gone: Set<String> = ["\(owner.id)/inbox", "\(harness.tenant.users[1].id)/calendar"]
            store.updateFaults { $0.goneFolders = gone }
            store.resetCounters()
            let second = try await execute(harness, fixture, try await fixture.runNow(client))
            #expect(second.status == .succeeded, "\(second.error ?? "")")
            let secondEmail = try #require(second.steps.first { $0.step == .collectEmail })
            let secondMeetings = try #require(second.steps.first { $0.step == .collectMeetings })
            #expect(secondEmail.counts["restarts"] == 1)
            #expect(secondMeetings.counts["restarts"] == 1)
            #expect(secondEmail.counts["token_refreshes"] == 1)
            #expect(store.counters.fullSyncs == 2)
            #expect(store.counters.unauthorized >= 1)
            try await expectSameSignals(harness, fixture, harness.tenant.expectedRecords())
        }
        await harness.shutdown()
    }

    @Test("a 403 mailbox is marked in the run's progress and the others go on; a mailbox Graph does not serve is marked not found; every mailbox refused fails the run")
    func forbiddenMailbox() async throws {
        let harness = try await GraphHarness.make(.init(mailboxes: 5, messagesPerMailbox: 20, meetingsPerMailbox: 12, seed: 31))
        try await harness.test { client in
            // "Everyone" holds a user without a mailbox (and a guest, left out).
            let fixture = try await GraphTenantFixture.create(client, harness: harness, groups: ["Everyone"])
            let tenant = harness.tenant
            let blocked = tenant.users[1]
            harness.store.updateFaults { $0.forbiddenUsers = [blocked.id] }
            let runID = try await fixture.runNow(client)
            let run = try await execute(harness, fixture, runID)
            #expect(run.status == .succeeded, "\(run.error ?? "")")
            let email = try #require(run.steps.first { $0.step == .collectEmail })
            #expect(email.counts["mailboxes_total"] == 6)
            #expect(email.counts["mailboxes_done"] == 4)
            #expect(email.counts["mailboxes_forbidden"] == 1)
            #expect(email.counts["mailboxes_not_found"] == 1)
            let progress = try await client.call(.get, "\(fixture.base)/runs/\(runID.uuidString.lowercased())", key: fixture.viewerKey)
            let steps = try #require(progress["steps"] as? [[String: Any]])
            #expect((steps[1]["counts"] as? [String: Int])?["mailboxes_done"] == 4)
            let list = try await client.call(.get, "\(fixture.base)/runs/\(runID.uuidString.lowercased())/mailboxes", key: fixture.viewerKey)
            #expect(list.status == .ok, "\(list.text)")
            let entries = try #require(list["mailboxes"] as? [[String: Any]])
            let forbidden = entries.filter { $0["state"] as? String == "forbidden" }
            #expect(forbidden.count == 2)  // email and meetings
            #expect(forbidden.allSatisfy { $0["address"] as? String == blocked.address && ($0["detail"] as? String ?? "").contains("ErrorAccessDenied") })
            #expect(entries.filter { $0["state"] as? String == "not_found" }.allSatisfy { $0["address"] as? String == "scanner@\(tenant.domain)" })
            #expect(entries.filter { $0["state"] as? String == "done" }.count == 8)
            try await expectSameSignals(harness, fixture, tenant.expectedRecords(excluding: [blocked.id]))

            // Every mailbox refused: a permissions problem for the admin, not retried.
            harness.store.updateFaults { $0.forbiddenUsers = Set(tenant.users.map(\.id)) }
            let failed = try await execute(harness, fixture, try await fixture.runNow(client))
            #expect(failed.status == .failed)
            let step = try #require(failed.steps.first { $0.step == .collectEmail })
            #expect(step.state == .failed)
            #expect(step.error?.contains("Mail.Read") == true, "\(step.error ?? "")")
        }
        await harness.shutdown()
    }

    @Test("no raw address, message id, subject or body from Graph is stored in any region table")
    func privacy() async throws {
        let harness = try await GraphHarness.make(.init(mailboxes: 3, messagesPerMailbox: 20, meetingsPerMailbox: 12, seed: 41))
        try await harness.test { client in
            let fixture = try await GraphTenantFixture.create(client, harness: harness)
            let run = try await execute(harness, fixture, try await fixture.runNow(client))
            #expect(run.status == .succeeded, "\(run.error ?? "")")
            let tenant = harness.tenant
            var needles = Set<String>()
            for message in tenant.messages {
                needles.formUnion([message.from, message.internetMessageID, message.subject] + message.to + message.cc + message.bcc)
            }
            for occurrence in tenant.occurrences {
                needles.formUnion([occurrence.organizer, occurrence.uid, occurrence.subject] + occurrence.attendees.map(\.address))
            }
            needles.formUnion(["never read", "never to be stored", "Agenda of"])
            let url = try #require(harness.databases.regions[.uk])
            let dump = try await { () async throws -> String in
                let connection = try await PostgresConnection.connect(url)
                defer { Task { await connection.close() } }
                var dump = ""
                let tables = try await connection.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").decode(String.self)
                #expect(tables.contains("graph_sync_state") && tables.contains("graph_event_item"))
                for table in tables {
                    for row in try await connection.query("SELECT t::text FROM \(identifier: table) t") {
                        dump += (try row.decode(String?.self, at: 0) ?? "") + "\n"
                    }
                }
                return dump.lowercased()
            }()
            #expect(dump.contains("graph"))  // the sync state is there (links name users by directory id)
            for needle in needles where needle.count >= 5 {
                #expect(!dump.contains(needle.lowercased()), "\(needle) is stored")
            }
        }
        await harness.shutdown()
    }
}
