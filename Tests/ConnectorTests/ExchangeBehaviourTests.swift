import AdminAPI
import Connectors
import Engagement
import FakeGraph
import Foundation
import HummingbirdTesting
import Platform
import TestSupport
import Testing
import Worker

/// What Exchange really returns, as Microsoft documents it, against a fake that enforces it (issue 16).
@Suite("Exchange as documented: the 5,000 cap, per-copy responses, expired states, full mailboxes, coverage")
struct ExchangeBehaviourTests {
    let runs = GraphRunTests()

    @Test("a mailbox of 20,000 messages in the window is read whole: no $filter, so the 5,000 cap of a filtered delta never cuts it")
    func busyMailbox() async throws {
        let harness = try await GraphHarness.make(.init(mailboxes: 2, messagesPerMailbox: 20_000, meetingsPerMailbox: 4, externalAccounts: 20, seed: 3)) {
            $0.pageSize = 1000
        }
        try await harness.test { client in
            let fixture = try await GraphTenantFixture.create(client, harness: harness)
            let tenant = harness.tenant
            let busy = tenant.users[0]
            #expect(harness.store.count(user: busy.id, folder: "inbox") + harness.store.count(user: busy.id, folder: "sentitems") >= 20_000)
            #expect(harness.store.count(user: busy.id, folder: "inbox") > 5000)

            // The fake enforces the documented cap: a filtered delta round lists 5,000 messages at most.
            let requester = await harness.collector.requester(for: try #require(try await harness.platform.graphRegistrations.credentials(tenant: fixture.tenantID)))
            let filtered = "\(harness.server.apiURL)/users/\(busy.id)/mailFolders/inbox/messages/delta?$select=id,receivedDateTime&$filter=receivedDateTime%20ge%202000-01-01T00:00:00Z"
            var listed = 0
            var next: String? = filtered
            while let url = next {
                let page = try JSONSerialization.jsonObject(with: Data(try await requester.get(url, prefer: ["odata.maxpagesize=1000"]))) as! [String: Any]
                listed += (page["value"] as! [Any]).count
                next = page["@odata.nextLink"] as? String
            }
            #expect(listed == 5000)
            harness.store.resetCounters()

            let run = try await runs.execute(harness, fixture, try await fixture.runNow(client))
            #expect(run.status == .succeeded, "\(run.error ?? "")")
            #expect(harness.store.counters.cappedRounds == 0)
            try await runs.expectSameSignals(harness, fixture, tenant.expectedRecords())
            let readings = try await harness.platform.graphReadings(tenant: fixture.tenantID, run: run)
            let inbox = try #require(readings.folders.first { $0.address == busy.address && $0.folder == "inbox" })
            #expect(inbox.complete && inbox.fullSync)
            #expect(inbox.items > 5000)
            #expect(readings.coverage.allSatisfy { $0.isComplete }, "\(readings.coverage)")
        }
        await harness.shutdown()
    }

    @Test("a meeting whose only account attendee declined is not counted, whichever copy comes first; an attendee's copy counts when no readable mailbox organizes the meeting")
    func organizerCopySpeaks() async throws {
        let now = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
        let harness = try await GraphHarness.make(.init(mailboxes: 4, messagesPerMailbox: 20, meetingsPerMailbox: 10, seed: 17, now: now))
        try await harness.test { client in
            let fixture = try await GraphTenantFixture.create(client, harness: harness)
            let tenant = harness.tenant
            let (organizer, colleague) = (tenant.users[0], tenant.users[1])
            let contact = try #require(tenant.occurrences.flatMap(\.attendees).first { $0.address.contains("@account") }).address
            // Organized by one selected mailbox, attended by another; the account's only attendee declined.
            let declined = FakeOccurrence(
                uid: "declined-by-the-account", start: now.addingTimeInterval(-10 * 86_400), end: now.addingTimeInterval(-10 * 86_400 + 1800),
                organizer: organizer.address,
                attendees: [.init(address: contact, response: "declined"), .init(address: colleague.address, response: "accepted")],
                cancelled: false, subject: "Declined")
            let accepted = FakeOccurrence(
                uid: "accepted-by-the-account", start: now.addingTimeInterval(-9 * 86_400), end: now.addingTimeInterval(-9 * 86_400 + 1800),
                organizer: organizer.address,
                attendees: [.init(address: contact, response: "accepted"), .init(address: colleague.address, response: "accepted")],
                cancelled: false, subject: "Accepted")
            harness.store.add(declined)
            harness.store.add(accepted)
            // The colleague's copies say the contact answered nothing (Exchange's per-copy view).
            let served = tenant.servedRecords()
            #expect(served.count > tenant.expectedRecords().count)

            // First the organizer's calendar cannot be read: the colleague's copy is all there is.
            harness.store.updateFaults { $0.forbiddenUsers = [organizer.id] }
            let blind = try await runs.execute(harness, fixture, try await fixture.runNow(client))
            #expect(blind.status == .succeeded, "\(blind.error ?? "")")
            #expect(try await harness.meetingSignals(of: declined, environment: fixture.environment, tenant: fixture.tenantID) == 1)
            try await runs.expectSameSignals(harness, fixture, harness.store.tenant.expectedRecords(excluding: [organizer.id]))

            // Then the organizer's copy is read: it speaks for the meeting, and the declined one goes.
            harness.store.updateFaults { $0.forbiddenUsers = [] }
            try await harness.platform.scope(for: try await harness.platform.control.environment(tenant: fixture.tenantID, id: fixture.environment)).graphSync.resetAll()
            let seeing = try await runs.execute(harness, fixture, try await fixture.runNow(client))
            #expect(seeing.status == .succeeded, "\(seeing.error ?? "")")
            #expect(try await harness.meetingSignals(of: declined, environment: fixture.environment, tenant: fixture.tenantID) == 0)
            #expect(try await harness.meetingSignals(of: accepted, environment: fixture.environment, tenant: fixture.tenantID) == 1)
            let meetings = try #require(seeing.steps.first { $0.step == .collectMeetings })
            #expect((meetings.counts["meeting_copies_left_to_organizer"] ?? 0) > 0, "\(meetings.counts)")
            try await runs.expectSameSignals(harness, fixture, harness.store.tenant.expectedRecords())
        }
        await harness.shutdown()
    }

    @Test("an expired delta state answered 400 syncStateNotFound (not 410) resyncs the folder, says so in the steps, and loses nothing")
    func expiredState() async throws {
        let harness = try await GraphHarness.make(.init(mailboxes: 3, messagesPerMailbox: 25, meetingsPerMailbox: 10, seed: 23))
        try await harness.test { client in
            let fixture = try await GraphTenantFixture.create(client, harness: harness)
            let tenant = harness.tenant
            let first = try await runs.execute(harness, fixture, try await fixture.runNow(client))
            #expect(first.status == .succeeded)
            let owner = tenant.users[0]
            harness.store.add(FakeMessage(
                internetMessageID: "after-expiry@account0.example", conversationID: "conv-expiry", from: "c0@account0.example", to: [owner.address],
                sentAt: Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down) - 60), subject: "After the expiry"))
            harness.store.updateFaults {
                $0.goneFolders = ["\(owner.id)/inbox", "\(owner.id)/calendar"]
                $0.goneStatus = 400
                $0.goneCode = "syncStateNotFound"
            }
            let second = try await runs.execute(harness, fixture, try await fixture.runNow(client))
            #expect(second.status == .succeeded, "\(second.error ?? "")")
            let email = try #require(second.steps.first { $0.step == .collectEmail })
            #expect(email.counts["restarts"] == 1)
            #expect(email.counts["restarts_syncStateNotFound"] == 1, "\(email.counts)")
            let meetings = try #require(second.steps.first { $0.step == .collectMeetings })
            #expect(meetings.counts["restarts_syncStateNotFound"] == 1)
            let readings = try await harness.platform.graphReadings(tenant: fixture.tenantID, run: second)
            let inbox = try #require(readings.folders.first { $0.address == owner.address && $0.folder == "inbox" })
            #expect(inbox.resyncs == 1 && inbox.resyncReason == "syncStateNotFound" && inbox.fullSync && inbox.complete)
            try await runs.expectSameSignals(harness, fixture, harness.store.tenant.expectedRecords())
        }
        await harness.shutdown()
    }

    @Test("a full mailbox (403 ErrorQuotaExceeded) is marked and the others go on; its coverage, and a refused mailbox's, is reported incomplete in the summary and the progress page")
    func fullMailboxAndCoverage() async throws {
        let harness = try await GraphHarness.make(.init(mailboxes: 4, messagesPerMailbox: 20, meetingsPerMailbox: 8, seed: 29))
        try await harness.test { client in
            let fixture = try await GraphTenantFixture.create(client, harness: harness)
            let tenant = harness.tenant
            let (full, refused) = (tenant.users[1], tenant.users[2])
            harness.store.updateFaults {
                $0.quotaExceededUsers = [full.id]
                $0.forbiddenUsers = [refused.id]
            }
            let runID = try await fixture.runNow(client)
            let run = try await runs.execute(harness, fixture, runID)
            #expect(run.status == .succeeded, "\(run.error ?? "")")
            let email = try #require(run.steps.first { $0.step == .collectEmail })
            #expect(email.counts["mailboxes_quota_exceeded"] == 1)
            #expect(email.counts["mailboxes_forbidden"] == 1)
            #expect(email.counts["mailboxes_done"] == 2)
            // Its calendar is still read (a full mailbox refuses folder delta on mail only).
            let meetings = try #require(run.steps.first { $0.step == .collectMeetings })
            #expect(meetings.counts["mailboxes_done"] == 3)

            let list = try await client.call(.get, "\(fixture.base)/runs/\(runID.uuidString.lowercased())/mailboxes", key: fixture.viewerKey)
            let coverage = try #require(list["coverage"] as? [[String: Any]])
            let byAddress = Dictionary(uniqueKeysWithValues: coverage.map { ($0["address"] as! String, $0) })
            #expect(byAddress[full.address]?["days_covered"] as? Int == 0)
            #expect((byAddress[full.address]?["reason"] as? String)?.contains("ErrorQuotaExceeded") == true)
            #expect(byAddress[refused.address]?["days_covered"] as? Int == 0)
            #expect((byAddress[refused.address]?["reason"] as? String)?.contains("403") == true)
            #expect(byAddress[tenant.users[0].address]?["days_covered"] as? Int == 365)
            #expect(byAddress[tenant.users[0].address]?["reason"] is NSNull || byAddress[tenant.users[0].address]?["reason"] == nil)
            let folders = try #require(list["folders"] as? [[String: Any]])
            #expect(folders.contains { $0["address"] as? String == tenant.users[0].address && $0["folder"] as? String == "sentitems" && ($0["items"] as? Int ?? 0) > 0 })

            let summary = try await client.call(.get, "\(fixture.base)/results", key: fixture.viewerKey)
            let shortfall = try #require(summary["coverage"] as? [String: Any])
            #expect(shortfall["mailboxes"] as? Int == 4)
            #expect(shortfall["fully_covered"] as? Int == 2)
            #expect(Set((shortfall["incomplete"] as? [[String: Any]])?.compactMap { $0["address"] as? String } ?? []) == [full.address, refused.address])

            let pages = PageClient(client: client)
            let cookie = try await pages.signIn(fixture.adminKey)
            let (status, page) = try await pages.get("/ui/environments/\(fixture.environment.uuidString.lowercased())/runs/\(runID.uuidString.lowercased())", cookie: cookie)
            #expect(status == .ok)
            #expect(page.contains("Mailboxes read") && page.contains("2 of 4 mailboxes do not cover the whole year"), "\(page.suffix(2000))")
            #expect(page.contains(full.address))
        }
        await harness.shutdown()
    }

    @Test("every request carries its own client-request-id; calendarView delta is asked without $select or $filter")
    func wireManners() async throws {
        let harness = try await GraphHarness.make(.init(mailboxes: 3, messagesPerMailbox: 10, meetingsPerMailbox: 6, seed: 41))
        try await harness.test { client in
            let fixture = try await GraphTenantFixture.create(client, harness: harness)
            let run = try await runs.execute(harness, fixture, try await fixture.runNow(client))
            #expect(run.status == .succeeded)
            let counters = harness.store.counters
            #expect(counters.requests > 0)
            #expect(counters.withoutClientRequestID == 0)
            #expect(counters.statuses[400] == nil, "\(counters.statuses)")
            // A request Graph refuses names its ids in the step's error, for Microsoft support.
            let everyone = Set(harness.tenant.users.map(\.id))
            harness.store.updateFaults { $0.forbiddenUsers = everyone }
            let failed = try await runs.execute(harness, fixture, try await fixture.runNow(client))
            let step = try #require(failed.steps.first { $0.step == .collectEmail })
            #expect(step.state == .failed)
            let list = try await client.call(.get, "\(fixture.base)/runs/\(failed.id.uuidString.lowercased())/mailboxes", key: fixture.viewerKey)
            let details = (list["mailboxes"] as? [[String: Any]] ?? []).compactMap { $0["detail"] as? String }
            #expect(!details.isEmpty && details.allSatisfy { $0.contains("client-request-id") && $0.contains("request-id") }, "\(details.prefix(2))")
        }
        await harness.shutdown()
    }
}
