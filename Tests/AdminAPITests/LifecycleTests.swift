import AdminAPI
import Engagement
import Foundation
import Hummingbird
import HummingbirdTesting
import Mail
import Postgres
import Platform
import TestSupport
import Testing
import Worker

@Suite("Enrichment lifecycle: configuration, consent, schedule, workers, withdrawal")
struct LifecycleTests {
    @Test("configuration validation: counts, nested and overlapping groups, unknown groups, foreign and invalid addresses, agreement")
    func configurationValidation() async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            let fixture = try await LifecycleFixture.create(client, harness: harness)
            let uri = "\(fixture.base(.uk))/enrichment"
            func save(_ body: [String: Any], key: String? = nil) async throws -> JSONResult {
                try await client.call(.put, uri, key: key ?? fixture.adminKey, json: body)
            }
            let one = try await save(fixture.configuration(addresses: ["user5@contoso.example"], groups: []))
            #expect(one.status == .unprocessableContent)
            #expect(one["resolved_count"] as? Int == 1)
            let many = try await save(fixture.configuration(addresses: (0...2500).map { "a\($0)@contoso.example" }, groups: []))
            #expect(many.status == .unprocessableContent)
            #expect(many["resolved_count"] as? Int == 2501)
            let unknown = try await save(fixture.configuration(groups: ["Sales", "Nope"]))
            #expect(unknown.status == .unprocessableContent)
            #expect(unknown["unknown_groups"] as? [String] == ["Nope"])
            let foreign = try await save(fixture.configuration(addresses: ["someone@gmail.com", "not an address"]))
            #expect(foreign["foreign_addresses"] as? [String] == ["someone@gmail.com"])
            #expect(foreign["invalid_addresses"] as? [String] == ["not an address"])
            let disagree = try await save(fixture.configuration(agreed: false))
            #expect(disagree.status == .badRequest)
            #expect(disagree.errorField == "agreed")
            let viewer = try await save(fixture.configuration(), key: fixture.viewerKey)
            #expect(viewer.status == .forbidden)
            // Nothing was saved by any of those.
            let nothing = try await client.call(.get, uri, key: fixture.adminKey)
            #expect(nothing["configuration"] == nil || nothing["configuration"] is NSNull)
            #expect(try await harness.services.platform.outbox.list().isEmpty)

            // Sales = u1, u2 and (nested) Sales EMEA = u3, (loop) u4; user1 listed too counts once.
            let saved = try await save(fixture.configuration(addresses: ["USER1@contoso.example"]))
            #expect(saved.status == .ok, "\(saved.text)")
            #expect((saved["enrichment"] as? [String: Any])?["mailbox_count"] as? Int == 4)
            #expect(saved["consent_requested"] as? Bool == true)
            let users = try await client.call(.get, "\(uri)/users", key: fixture.viewerKey)
            let entity = users["Office_UserEntity"] as! [[String: Any]]
            #expect(entity.map { $0["Email"] as! String } == ["user1@contoso.example", "user2@contoso.example", "user3@contoso.example", "user4@contoso.example"])
            #expect(entity.map { $0["DirectoryId"] as? String } == ["u1", "u2", "u3", "u4"])
        }
        await harness.shutdown()
    }

    @Test("consent: the email, the page, grant, reuse, expiry, refusal, console decisions, and a relay that is down then up")
    func consent() async throws {
        let harness = try await APIHarness.make()
        let platform = harness.services.platform
        try await harness.test { client in
            let fixture = try await LifecycleFixture.create(client, harness: harness)
            let uri = "\(fixture.base(.uk))/enrichment"
            #expect(try await client.call(.put, uri, key: fixture.adminKey, json: fixture.configuration()).status == .ok)
            let outbox = try await platform.outbox.list()
            #expect(outbox.count == 1)
            let mail = try #require(outbox.first)
            #expect(mail.recipient == "it@contoso.example")
            #expect(mail.subject.contains("Contoso"))
            let link = try #require(mail.body.split(separator: "\n").first { $0.contains("/consent/") }).trimmingCharacters(in: .whitespaces)
            let path = String(link[link.range(of: "/consent/")!.lowerBound...])
            #expect(try await client.call(.get, "/v1/tenants/\(fixture.tenant.id)/consent", key: fixture.adminKey)["status"] as? String == "requested")

            // The relay is down: the message stays, with the error; then it comes up on the same port.
            let port = SMTPSink.quietPort()
            let sender = OutboxSender(
                platform: platform, smtp: SMTPConfiguration(host: "127.0.0.1", port: port, from: "rapport@test.example", timeout: .seconds(5)),
                logger: .init(label: "test"))
            let down = try await sender.sendDue(at: harness.clock.now)
            #expect(down.failed == 1)
            let pending = try await platform.outbox.list(pendingOnly: true)
            #expect(pending.first?.attempts == 1)
            #expect(pending.first?.lastError != nil)
            let upAgain = try await SMTPSink.restart(port: port)
            #expect(try await sender.sendDue(at: harness.clock.now).sent == 0)  // backing off
            harness.clock.advance(60)
            #expect(try await sender.sendDue(at: harness.clock.now).sent == 1)
            let received = upAgain.messages()
            #expect(received.count == 1)
            #expect(received.first?.recipients == ["it@contoso.example"])
            #expect(received.first?.body.contains(path) == true)
            await upAgain.stop()

            // The page, then the grant; the link works once.
            let page = try await client.execute(uri: path, method: .get) { ($0.status, String(buffer: $0.body), $0.headers[.contentSecurityPolicy]) }
            #expect(page.0 == .ok)
            #expect(page.1.contains("Contoso"))
            #expect(page.2?.contains("default-src 'none'") == true)
            let grant = try await client.execute(uri: path, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: .init(string: "decision=grant&reason=")) { ($0.status, String(buffer: $0.body)) }
            #expect(grant.0 == .ok, "\(grant.1)")
            let state = try await client.call(.get, "/v1/tenants/\(fixture.tenant.id)/consent", key: fixture.adminKey)
            #expect(state["status"] as? String == "granted")
            #expect(state["decided_by"] as? String == "it@contoso.example")
            let reuse = try await client.execute(uri: path, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: .init(string: "decision=refuse")) { $0.status }
            #expect(reuse == .gone)
            let forged = try await client.execute(uri: path.dropLast(3) + "AAA", method: .get) { $0.status }
            #expect(forged == .notFound)

            // Console decisions: only the Office 365 administrator.
            let consentURI = "/v1/tenants/\(fixture.tenant.id)/consent"
            #expect(try await client.call(.post, consentURI, key: fixture.adminKey, json: ["decision": "refuse"]).status == .forbidden)
            let refused = try await client.call(.post, consentURI, key: fixture.o365Key, json: ["decision": "refuse", "reason": "legal review"])
            #expect(refused["status"] as? String == "refused")
            #expect(refused["reason"] as? String == "legal review")
            let audit = try await client.call(.get, "/v1/tenants/\(fixture.tenant.id)/audit?limit=500", key: fixture.tenant.ownerKey)
            let actions = (audit["events"] as! [[String: Any]]).map { $0["action"] as! String }
            #expect(actions.contains("consent.request") && actions.contains("consent.grant") && actions.contains("consent.refuse"))

            // A new request (saving again while refused); its link expires after a week.
            #expect(try await client.call(.put, uri, key: fixture.adminKey, json: fixture.configuration()).status == .ok)
            let second = try #require(try await platform.outbox.list().first)
            let secondLink = try #require(second.body.split(separator: "\n").first { $0.contains("/consent/") }).trimmingCharacters(in: .whitespaces)
            let secondPath = String(secondLink[secondLink.range(of: "/consent/")!.lowerBound...])
            harness.clock.advance(8 * 86_400)
            let expired = try await client.execute(uri: secondPath, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: .init(string: "decision=grant")) { ($0.status, String(buffer: $0.body)) }
            #expect(expired.0 == .gone)
            #expect(expired.1.contains("expired"))
        }
        await harness.shutdown()
    }

    @Test("schedule: the first run six hours after the grant, then weekly; leader election; Run now and its 409")
    func schedule() async throws {
        let harness = try await APIHarness.make()
        let platform = harness.services.platform
        try await harness.test { client in
            let fixture = try await LifecycleFixture.create(client, harness: harness)
            #expect(try await client.call(.put, "\(fixture.base(.uk))/enrichment", key: fixture.adminKey, json: fixture.configuration()).status == .ok)
            // Nothing runs before consent.
            let early = try await client.call(.post, "\(fixture.base(.uk))/runs", key: fixture.adminKey)
            #expect(early.status == .unprocessableContent)
            let granted = harness.clock.now
            #expect(try await client.call(.post, "/v1/tenants/\(fixture.tenant.id)/consent", key: fixture.o365Key, json: ["decision": "grant"]).status == .ok)
            let view = try await client.call(.get, "\(fixture.base(.uk))/enrichment", key: fixture.adminKey)
            let next = try #require(ISO8601DateFormatter().date(from: view["next_run_at"] as? String ?? ""))
            #expect(next == granted.addingTimeInterval(6 * 3600))

            let scheduler = EnrichmentScheduler(platform: platform)
            #expect(try await scheduler.tick(at: granted.addingTimeInterval(5 * 3600)).enqueued.isEmpty)
            // Two servers tick at once: one run is enqueued.
            async let first = scheduler.tick(at: granted.addingTimeInterval(6 * 3600))
            async let second = scheduler.tick(at: granted.addingTimeInterval(6 * 3600))
            let ticks = try await [first, second]
            #expect(ticks.flatMap(\.enqueued).count == 1)
            let runs = try await platform.runs.runs(tenant: fixture.tenantID, environment: fixture.environmentID(.uk))
            #expect(runs.count == 1)
            #expect(runs.first?.trigger == .first)
            #expect(runs.first?.scheduledFor == granted.addingTimeInterval(6 * 3600))
            // Run now while that run is queued: 409.
            let conflict = try await client.call(.post, "\(fixture.base(.uk))/runs", key: fixture.adminKey)
            #expect(conflict.status == .conflict)
            // The worker of the region executes it.
            let worker = RegionWorker(platform: platform, configuration: .init(region: .uk, workerID: "uk-1"), logger: .init(label: "test"))
            #expect(try await worker.runOnce())
            let done = try #require(try await platform.runs.run(tenant: fixture.tenantID, id: runs[0].id))
            #expect(done.status == .succeeded, "\(done.error ?? "")")
            // No Dataverse exporter and no webhook: export and notify are skipped.
            #expect(done.steps.map(\.state) == [.succeeded, .skipped, .skipped, .succeeded, .succeeded, .succeeded, .succeeded, .skipped, .skipped])
            // Weekly after: nothing a day later, one run a week after the first.
            #expect(try await scheduler.tick(at: granted.addingTimeInterval(6 * 3600 + 86_400)).enqueued.isEmpty)
            let weekly = try await scheduler.tick(at: granted.addingTimeInterval(6 * 3600 + 7 * 86_400))
            #expect(weekly.enqueued.count == 1)
            let latest = try await platform.runs.runs(tenant: fixture.tenantID, environment: fixture.environmentID(.uk))
            #expect(latest.first?.trigger == .schedule)
            #expect(latest.first?.scheduledFor == granted.addingTimeInterval(6 * 3600 + 7 * 86_400))
            let progress = try await client.call(.get, "\(fixture.base(.uk))/runs/\(runs[0].id.uuidString)", key: fixture.viewerKey)
            #expect((progress["steps"] as? [[String: Any]])?.count == 9)
        }
        await harness.shutdown()
    }

    @Test("data residency: uk and eu runs stay in their regions' databases; a worker refuses another region's run")
    func residency() async throws {
        let harness = try await APIHarness.make()
        let platform = harness.services.platform
        try await harness.test { client in
            let fixture = try await LifecycleFixture.create(client, harness: harness, regions: [.uk, .eu])
            for region in [Region.uk, .eu] {
                #expect(try await client.call(.put, "\(fixture.base(region))/enrichment", key: fixture.adminKey, json: fixture.configuration()).status == .ok)
            }
            #expect(try await client.call(.post, "/v1/tenants/\(fixture.tenant.id)/consent", key: fixture.o365Key, json: ["decision": "grant"]).status == .ok)
            for region in [Region.uk, .eu] {
                try await fixture.pushActivity(client, region: region, at: harness.clock.now)
                #expect(try await client.call(.post, "\(fixture.base(region))/runs", key: fixture.adminKey).status == .accepted)
            }
            let ukWorker = RegionWorker(platform: platform, configuration: .init(region: .uk, workerID: "uk"), logger: .init(label: "uk"))
            #expect(try await ukWorker.runOnce())
            #expect(try await !ukWorker.runOnce())  // the eu run is not the uk worker's
            #expect(try await platform.runs.active(tenant: fixture.tenantID, environment: fixture.environmentID(.eu))?.status == .queued)
            let euWorker = RegionWorker(platform: platform, configuration: .init(region: .eu, workerID: "eu"), logger: .init(label: "eu"))
            #expect(try await euWorker.runOnce())
            for region in [Region.uk, .eu] {
                let summary = try await client.call(.get, "\(fixture.base(region))/results", key: fixture.adminKey)
                #expect(summary["enriched_customers"] as? Int == 2, "\(region): \(summary.text)")
            }
            // Every region table: the uk database holds nothing of the eu environment, and the reverse.
            for (region, other) in [(Region.uk, Region.eu), (.eu, .uk)] {
                let foreign = fixture.environmentID(other)
                let pool = try platform.regions.database(for: region).pool
                let tables: [String] = try await pool.query(
                    "SELECT table_name::text FROM information_schema.columns WHERE column_name = 'environment_id' AND table_schema = 'public'").decode(String.self)
                #expect(tables.count >= 8)
                for table in tables {
                    let count = try await pool.query("SELECT count(*) FROM \(identifier: table) WHERE environment_id = \(foreign)")[0].decode(Int.self, at: 0)
                    #expect(count == 0, "\(region) database holds \(count) rows of the \(other) environment in \(table)")
                }
                let own = try await pool.query("SELECT count(*) FROM email_signal WHERE environment_id = \(fixture.environmentID(region))")[0].decode(Int.self, at: 0)
                #expect(own == 3)
            }
            // A run row that claims uk for the eu environment is refused by the uk worker.
            try await platform.control.pool.query(
                """
                INSERT INTO run (tenant_id, run_id, environment_id, region, status, trigger, scheduled_for, as_of, created_at)
                VALUES (\(fixture.tenantID), \(UUID()), \(fixture.environmentID(.eu)), 'uk', 'queued', 'manual', now(), now(), now())
                """)
            #expect(try await ukWorker.runOnce())
            let refused = try #require(try await platform.runs.runs(tenant: fixture.tenantID, environment: fixture.environmentID(.eu)).first)
            #expect(refused.status == .failed)
            #expect(refused.error?.contains("refuses") == true)
        }
        await harness.shutdown()
    }

    @Test("withdrawal cancels runs, stops schedules and deletes activity and results in every region")
    func withdrawal() async throws {
        let harness = try await APIHarness.make()
        let platform = harness.services.platform
        try await harness.test { client in
            let fixture = try await LifecycleFixture.create(client, harness: harness, regions: [.uk, .eu])
            for region in [Region.uk, .eu] {
                #expect(try await client.call(.put, "\(fixture.base(region))/enrichment", key: fixture.adminKey, json: fixture.configuration()).status == .ok)
            }
            #expect(try await client.call(.post, "/v1/tenants/\(fixture.tenant.id)/consent", key: fixture.o365Key, json: ["decision": "grant"]).status == .ok)
            for region in [Region.uk, .eu] {
                try await fixture.pushActivity(client, region: region, at: harness.clock.now)
                _ = try await client.call(.post, "\(fixture.base(region))/runs", key: fixture.adminKey)
            }
            _ = try await RegionWorker(platform: platform, configuration: .init(region: .uk), logger: .init(label: "uk")).runOnce()
            // The eu run is still queued when consent is withdrawn.
            #expect(try await client.call(.delete, "/v1/tenants/\(fixture.tenant.id)/consent", key: fixture.adminKey).status == .forbidden)
            let withdrawn = try await client.call(.delete, "/v1/tenants/\(fixture.tenant.id)/consent", key: fixture.o365Key)
            #expect(withdrawn.status == .ok, "\(withdrawn.text)")
            #expect(withdrawn["runs_cancelled"] as? Int == 1)
            let deleted = withdrawn["deleted"] as! [String: [String: Int]]
            #expect(deleted["uk"]?["email_signal"] == 3)
            #expect(deleted["eu"]?["email_signal"] == 3)
            #expect((deleted["uk"]?["account_engagement"] ?? 0) > 0)
            for region in Region.allCases {
                let pool = try platform.regions.database(for: region).pool
                for table in ["email_signal", "meeting_signal", "account_engagement", "enrichment_run", "current_result"] {
                    let left = try await pool.query("SELECT count(*) FROM \(identifier: table) WHERE tenant_id = \(fixture.tenantID)")[0].decode(Int.self, at: 0)
                    #expect(left == 0, "\(region) \(table): \(left) rows left")
                }
            }
            let view = try await client.call(.get, "\(fixture.base(.uk))/enrichment", key: fixture.adminKey)
            #expect(view["next_run_at"] == nil || view["next_run_at"] is NSNull)
            #expect((view["consent"] as? [String: Any])?["status"] as? String == "withdrawn")
            #expect(try await client.call(.post, "\(fixture.base(.uk))/runs", key: fixture.adminKey).status == .unprocessableContent)
            #expect(try await EnrichmentScheduler(platform: platform).tick(at: harness.clock.now.addingTimeInterval(30 * 86_400)).enqueued.isEmpty)
        }
        await harness.shutdown()
    }
}
