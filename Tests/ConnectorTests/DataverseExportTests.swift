import Connectors
import FakeDataverse
import FakeGraph
import Foundation
import HummingbirdTesting
import Ingest
import Postgres
import Platform
import TestSupport
import Testing
import Worker

@Suite("Dataverse export")
struct DataverseExportTests {
    /// Every fourth account id is a GUID (the form Dataverse account ids take); the others are plain.
    static func accountID(_ index: Int) -> String {
        index % 4 == 0 ? String(format: "00000000-0000-4000-8000-%012d", index) : "A\(index)"
    }

    static let parameters = FakeTenantGenerator.Parameters(mailboxes: 4, messagesPerMailbox: 24, meetingsPerMailbox: 8, seed: 81)

    @Test("a run writes exactly the published Year and Month rows, the office users and the account lookups; the next run sends nothing unchanged")
    func exportsThePublishedResult() async throws {
        let harness = try await DataverseHarness.make(Self.parameters)
        try await harness.graph.test { client in
            let fixture = try await GraphTenantFixture.create(client, harness: harness.graph, accountIDs: Self.accountID)
            // Half of the GUID accounts exist in the organization: their rows link to them.
            var inOrganization: Set<String> = []
            for index in stride(from: 0, to: fixture.accountCount, by: 8) {
                inOrganization.insert(Self.accountID(index))
                harness.store.addAccount(in: DataverseHarness.host, id: UUID(uuidString: Self.accountID(index))!, name: "Account \(index)")
            }
            let run = try await GraphRunTests().execute(harness.graph, fixture, try await fixture.runNow(client))
            #expect(run.status == .succeeded, "\(run.error ?? "")")
            let export = try #require(run.steps.first { $0.step == .export })
            #expect(export.state == .succeeded, "\(export.error ?? "")")
            let published = try await harness.published(fixture)
            #expect(export.counts["rows_sent"] == published.count)
            #expect(export.counts["rows_unchanged"] == 0)
            #expect(export.counts["rows_deleted"] == 0)
            #expect(export.counts["organization_rows"] == published.count)
            try await harness.expectTableEqualsPublished(fixture)
            #expect(!published.keys.contains { $0.contains("|Week|") }, "Week rows are not exported by default")

            // The table as Rapport made it: the alternate key active, the product's columns typed.
            let table = try #require(harness.store.table(DataverseHarness.table, in: DataverseHarness.host))
            #expect(table.keys.count == 1)
            #expect(table.keys.first?.status == .active)
            #expect(table.keys.first?.attributes == ["rapport_accountkey", "rapport_aggregationlevel", "rapport_aggregationstartdate"])
            #expect(table.column("rapport_engagementscore") != nil && table.column("rapport_averageduration_of_meetings") != nil)

            // The lookup is set exactly for the rows whose account exists in the organization.
            for row in harness.store.rows(of: DataverseHarness.table, in: DataverseHarness.host) {
                let account = row["rapport_accountid"]?.stringValue ?? ""
                let link = row["rapport_account"]?.stringValue?.lowercased()
                #expect(link == (inOrganization.contains(account) ? account.lowercased() : nil), "lookup of \(account): \(link ?? "none")")
            }
            // Office users: the selected mailboxes' directory ids, nothing else.
            let selected = Set(try await harness.platform.enrichments.mailboxes(tenant: fixture.tenantID, environment: fixture.environment)
                .compactMap { $0.directoryID?.lowercased() })
            let users = harness.store.rows(of: "rapport_officeuser", in: DataverseHarness.host)
            #expect(Set(users.compactMap { $0["rapport_directoryid"]?.stringValue?.lowercased() }) == selected)
            #expect(!selected.isEmpty && export.counts["office_users"] == selected.count)
            #expect(!users.contains { $0.members.contains { $0.value.stringValue?.contains("@") == true } }, "no address in Dataverse")
            #expect(harness.store.counters.maximumConcurrent <= 3, "at most dataverse.max.concurrency requests at once")

            // No new activity: the next run sends only what its later as-of changed (usually nothing: on a slow
            // machine a meeting may have ended, or a message left the year, between the two runs).
            let calls = harness.store.counters.upsertMultipleTargets
            let again = try await GraphRunTests().execute(harness.graph, fixture, try await fixture.runNow(client))
            let second = try #require(again.steps.first { $0.step == .export })
            #expect(second.state == .succeeded, "\(second.error ?? "")")
            let republished = try await harness.published(fixture)
            let changed = republished.filter { published[$0.key] != $0.value }.count
            #expect(changed * 4 < published.count, "most rows stay the same: \(changed) of \(published.count) changed")
            #expect(second.counts["rows_sent"] == changed)
            #expect(second.counts["rows_unchanged"] == republished.count - changed)
            #expect(harness.store.counters.upsertMultipleTargets - calls == changed, "only the changed rows went over the wire")
            try await harness.expectTableEqualsPublished(fixture)
        }
        await harness.shutdown()
    }

    @Test("after new activity and an account excluded as noise, a run sends only the changed rows and deletes the gone ones; a level dropped from the configuration is deleted")
    func sendsOnlyWhatChanged() async throws {
        let harness = try await DataverseHarness.make(Self.parameters)
        try await harness.graph.test { client in
            let fixture = try await GraphTenantFixture.create(client, harness: harness.graph, accountIDs: Self.accountID)
            _ = try await GraphRunTests().execute(harness.graph, fixture, try await fixture.runNow(client))
            let before = try await harness.published(fixture)

            // New mail with account 3, and the domain of another account with published rows excluded as noise: its rows go.
            let excludedIndex = try #require(
                (0..<fixture.accountCount).reversed().first { index in
                    index != 3 && before.keys.contains { $0.hasPrefix(DataverseHarness.accountKey(Self.accountID(index)) + "|") }
                })
            let mail = harness.graph.tenant.expectedRecords().compactMap { record -> ActivityEmail? in
                if case .email(let email) = record, email.from?.contains("@account3.example") == true { return email }
                return nil
            }
            var fresh = try #require(mail.first, "the generated mail has none from account 3")
            fresh.messageID = "fresh-\(UUID().uuidString)@account3.example"
            fresh.sentAt = harness.platform.now().addingTimeInterval(-3600)
            try await harness.graph.importDirectly([.email(fresh)], into: fixture.environment, tenant: fixture.tenantID)
            let excluded = try await client.call(
                .put, "\(fixture.base)/enrichment", key: fixture.ownerKey,
                json: ["name": "Engagement", "groups": ["Sales"], "agreed": true, "email_field": "emailaddress1", "rules": ["excluded_domains": ["account\(excludedIndex).example"]]])
            #expect(excluded.status == .ok, "\(excluded.text)")

            let targets = harness.store.counters.upsertMultipleTargets
            let run = try await GraphRunTests().execute(harness.graph, fixture, try await fixture.runNow(client))
            let after = try await harness.published(fixture)
            let changed = after.filter { before[$0.key] != $0.value }.count
            let gone = before.keys.filter { after[$0] == nil }.count
            #expect(changed > 0 && gone > 0, "the change touches rows: \(changed) changed, \(gone) gone")
            let export = try #require(run.steps.first { $0.step == .export })
            #expect(export.state == .succeeded, "\(export.error ?? "")")
            #expect(export.counts["rows_sent"] == changed)
            #expect(export.counts["rows_deleted"] == gone)
            #expect(export.counts["rows_unchanged"] == after.count - changed)
            #expect(harness.store.counters.upsertMultipleTargets - targets == changed, "only the changed rows went over the wire")
            try await harness.expectTableEqualsPublished(fixture)

            // Export Year only: the Month rows are deleted.
            let saved = try await client.call(
                .put, "\(fixture.base)/enrichment", key: fixture.ownerKey,
                json: ["name": "Engagement", "groups": ["Sales"], "agreed": true, "email_field": "emailaddress1", "export_levels": ["Year"], "rules": ["excluded_domains": ["account\(excludedIndex).example"]]])
            #expect(saved.status == .ok, "\(saved.text)")
            let yearOnly = try await GraphRunTests().execute(harness.graph, fixture, try await fixture.runNow(client))
            let months = after.keys.filter { $0.contains("|Month|") }.count
            #expect(yearOnly.steps.first { $0.step == .export }?.counts["rows_deleted"] == months)
            try await harness.expectTableEqualsPublished(fixture, levels: ["Year"])
            let bad = try await client.call(
                .put, "\(fixture.base)/enrichment", key: fixture.ownerKey,
                json: ["name": "Engagement", "groups": ["Sales"], "agreed": true, "email_field": "emailaddress1", "export_levels": ["Quarter"]])
            #expect(bad.status == .badRequest && bad.errorField == "export_levels")
        }
        await harness.shutdown()
    }

    @Test("a 429 storm and a three-second request window of the service protection limits: the export waits them out and ends with the same table")
    func throttling() async throws {
        let harness = try await DataverseHarness.make(Self.parameters)
        try await harness.graph.test { client in
            let fixture = try await GraphTenantFixture.create(client, harness: harness.graph, accountIDs: Self.accountID)
            harness.store.updateFaults {
                $0.throttleRate = 0.3
                $0.retryAfterSeconds = 1
            }
            // Five requests within three seconds cross the window's limit, however loaded the machine is.
            harness.store.updateLimits {
                $0.windowSeconds = 3
                $0.requestLimit = 4
            }
            let run = try await GraphRunTests().execute(harness.graph, fixture, try await fixture.runNow(client))
            #expect(run.status == .succeeded, "\(run.error ?? "")")
            let export = try #require(run.steps.first { $0.step == .export })
            #expect(export.state == .succeeded, "\(export.error ?? "")")
            #expect((export.counts["throttled_waits"] ?? 0) > 0)
            let throttled = harness.store.counters.throttled
            #expect((throttled["0x80072322"] ?? 0) > 0, "429s with the request-limit code: \(throttled)")
            try await harness.expectTableEqualsPublished(fixture)
        }
        await harness.shutdown()
    }

    @Test("a batch Dataverse refuses rolls back whole: the step fails with Dataverse's code, the run stays published, and the next run completes the table")
    func refusedBatch() async throws {
        let harness = try await DataverseHarness.make(Self.parameters, concurrency: 1)
        try await harness.graph.test { client in
            let fixture = try await GraphTenantFixture.create(client, harness: harness.graph, accountIDs: Self.accountID)
            harness.store.updateFaults { $0.failOperation = .init(operation: 3) }
            let run = try await GraphRunTests().execute(harness.graph, fixture, try await fixture.runNow(client))
            #expect(run.status == .succeeded, "a failed export does not fail the run: \(run.error ?? "")")
            let export = try #require(run.steps.first { $0.step == .export })
            #expect(export.state == .failed)
            #expect(export.error?.contains("0x80044331") == true, "\(export.error ?? "")")
            #expect(export.error?.contains("UpsertMultiple") == true, "\(export.error ?? "")")
            // The progress page shows the step failed, with Dataverse's code.
            let pages = PageClient(client: client)
            let cookie = try await pages.signIn(fixture.adminKey)
            let (status, page) = try await pages.get("/ui/environments/\(fixture.environment.uuidString.lowercased())/runs/\(run.id.uuidString.lowercased())", cookie: cookie)
            #expect(status == .ok)
            #expect(page.contains("export") && page.contains("0x80044331"), "\(page.suffix(3000))")
            let environment = try await harness.environment(fixture)
            #expect(try await harness.platform.scope(for: environment).results.summary() != nil, "the result is published")
            #expect(harness.store.counters.rolledBackRequests == 1)
            // What Rapport recorded as accepted is exactly what the organization holds: nothing of the refused batch.
            let recorded = try await harness.platform.scope(for: environment).dataverseExport.exportedCount(organization: GraphTenantFixture.dataverse.organizationID)
            #expect(harness.store.count(of: DataverseHarness.table, in: DataverseHarness.host) == recorded)

            let next = try await GraphRunTests().execute(harness.graph, fixture, try await fixture.runNow(client))
            let retried = try #require(next.steps.first { $0.step == .export })
            #expect(retried.state == .succeeded, "\(retried.error ?? "")")
            #expect(retried.counts["rows_unchanged"] == recorded)
            try await harness.expectTableEqualsPublished(fixture)
        }
        await harness.shutdown()
    }

    @Test("a worker killed with SIGKILL in the middle of an export: another resumes, resends at most the batch in flight, and the table is exact")
    func killMidExport() async throws {
        let harness = try await DataverseHarness.make(Self.parameters, batchSize: 5, concurrency: 1)
        try await harness.graph.test { client in
            let fixture = try await GraphTenantFixture.create(client, harness: harness.graph, accountIDs: Self.accountID)
            harness.store.updateFaults { $0.latency = .milliseconds(150) }
            let runID = try await fixture.runNow(client)
            var environment = [
                "RAPPORT_CONTROL_DATABASE_URL": harness.graph.databases.control,
                "RAPPORT_SECRET_KEY": GraphHarness.secret.map { String(format: "%02x", $0) }.joined(),
                "RAPPORT_SQL_DIR": GraphHarness.sqlFolder.path,
                "RAPPORT_LOG_LEVEL": "warning",
                "RAPPORT_GRAPH_LOGIN_URL": harness.graph.server.loginURL,
                "RAPPORT_GRAPH_API_URL": harness.graph.server.apiURL,
                "RAPPORT_DATAVERSE_LOGIN_URL": harness.server.baseURL,
                "RAPPORT_DATAVERSE_API_URL": harness.server.baseURL,
                "RAPPORT_DATAVERSE_BATCH_SIZE": "5",
                "RAPPORT_DATAVERSE_MAX_CONCURRENCY": "1",
            ]
            for (region, url) in harness.graph.databases.regions { environment[DatabaseSet.urlKey(of: region)] = url }
            let log = NSTemporaryDirectory() + "rapport-dataverse-crash-\(UUID().uuidString.prefix(8)).log"
            let pid = try ChildProcess.launch(
                [RapportExecutable.url.path, "worker", "--region", "uk", "--lease-seconds", "2", "--poll-seconds", "1"], environment: environment, logFile: log)
            var reached = false
            for _ in 0..<1200 {
                if harness.store.counters.upsertMultipleCalls >= 4 { reached = true; break }
                try await Task.sleep(for: .milliseconds(25))
            }
            ChildProcess.kill9(pid)
            #expect(reached, "the worker never got four batches out; see \(log)")
            let sentBeforeKill = harness.store.counters.upsertMultipleTargets
            let published = try await harness.published(fixture)
            #expect(sentBeforeKill < published.count, "killed before the export finished")

            harness.store.updateFaults { $0.latency = .zero }
            let survivor = harness.graph.worker("survivor", lease: 2)
            var outcome: RunRecord?
            for _ in 0..<100 {
                _ = try await survivor.runOnce()
                if let run = try await harness.platform.runs.run(tenant: fixture.tenantID, id: runID), run.status != .running, run.status != .queued {
                    outcome = run
                    break
                }
                try await Task.sleep(for: .milliseconds(300))
            }
            let run = try #require(outcome, "the killed run was never completed")
            #expect(run.status == .succeeded, "\(run.error ?? "")")
            #expect(run.attempts == 2)
            let export = try #require(run.steps.first { $0.step == .export })
            #expect(export.state == .succeeded, "\(export.error ?? "")")
            #expect((export.counts["rows_unchanged"] ?? 0) >= 15, "the batches accepted before the kill are not sent again")
            // Office users go once, after the account rows; of those, at most the batch in flight at the kill is sent twice.
            let officeUsers = harness.store.count(of: "rapport_officeuser", in: DataverseHarness.host)
            #expect(officeUsers > 0)
            #expect(harness.store.counters.upsertMultipleTargets - published.count - officeUsers <= 5, "at most the batch in flight at the kill is sent twice")
            try await harness.expectTableEqualsPublished(fixture)
            try? FileManager.default.removeItem(atPath: log)
        }
        await harness.shutdown()
    }

    @Test("an organization outside the environment's region is refused at attach; dataverse_reachable names the remedy for a missing application user or role")
    func residencyAndReachability() async throws {
        let harness = try await DataverseHarness.make(Self.parameters)
        try await harness.graph.test { client in
            let fixture = try await GraphTenantFixture.create(client, harness: harness.graph)
            let path = "\(fixture.base)/dataverse"
            let europe = try await client.call(.put, path, key: fixture.ownerKey, json: ["organization_url": "https://contoso.crm4.dynamics.com", "organization_id": UUID().uuidString])
            #expect(europe.status == .badRequest)
            #expect(europe.errorField == "organization_url")
            #expect(europe.text.contains("Europe") && europe.text.contains("United Kingdom"), "\(europe.text)")
            let unknown = try await client.call(.put, path, key: fixture.ownerKey, json: ["organization_url": "https://contoso.crm22.dynamics.com", "organization_id": UUID().uuidString])
            #expect(unknown.status == .badRequest && unknown.errorField == "organization_url")
            let notDataverse = try await client.call(.put, path, key: fixture.ownerKey, json: ["organization_url": "https://example.com", "organization_id": UUID().uuidString])
            #expect(notDataverse.status == .badRequest && notDataverse.errorField == "organization_url")
            let view = try await client.call(.get, path, key: fixture.viewerKey)
            #expect((view["current"] as? [String: Any])?["geography"] as? String == "United Kingdom (crm11)")

            var platform = harness.platform
            platform.dataverseProbe = harness.connector
            let owner = try await platform.control.authenticate(fixture.ownerKey)
            func reachability() async throws -> PrerequisiteResult? {
                try await platform.prerequisites.check(tenant: fixture.tenantID, environment: fixture.environment, caller: owner, at: platform.now())
                    .first { $0.id == "dataverse_reachable" }
            }
            #expect(try await reachability()?.status == .passed)

            harness.store.setApplicationUser(.init(clientID: GraphHarness.clientID, hasRole: false), in: DataverseHarness.host)
            let roleless = try #require(try await reachability())
            #expect(roleless.status == .failed)
            #expect(roleless.detail.contains("0x80042f09"), "\(roleless.detail)")
            #expect(roleless.remedy.contains("Application users"), "\(roleless.remedy)")

            harness.store.removeApplicationUser(clientID: GraphHarness.clientID, from: DataverseHarness.host)
            let stranger = try #require(try await reachability())
            #expect(stranger.status == .failed)
            #expect(stranger.detail.contains("0x80072560"), "\(stranger.detail)")
            #expect(stranger.remedy.contains("Application users"))

            // Advisory: the run still publishes; its export step says why nothing was written.
            let run = try await GraphRunTests().execute(harness.graph, fixture, try await fixture.runNow(client))
            #expect(run.status == .succeeded, "\(run.error ?? "")")
            let export = try #require(run.steps.first { $0.step == .export })
            #expect(export.state == .failed)
            #expect(export.error?.contains("application user") == true, "\(export.error ?? "")")

            harness.store.setApplicationUser(.init(clientID: GraphHarness.clientID), in: DataverseHarness.host)
            let other = UUID()
            _ = try await client.call(.put, path, key: fixture.ownerKey, json: ["organization_url": "https://contoso.crm11.dynamics.com", "organization_id": other.uuidString])
            let mismatch = try #require(try await reachability())
            #expect(mismatch.status == .failed && mismatch.detail.contains("answers as organization"), "\(mismatch.detail)")
        }
        await harness.shutdown()
    }
}
