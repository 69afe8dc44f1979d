import Connectors
import FakeGraph
import Foundation
import HummingbirdTesting
import Postgres
import Platform
import TestSupport
import Testing
import Worker

@Suite("Graph crash safety")
struct GraphCrashTests {
    @Test("a worker killed with SIGKILL in the middle of collecting mail: another resumes from the stored links, refetches no finished mailbox, and the result is exact")
    func killMidCollection() async throws {
        let harness = try await GraphHarness.make(.init(mailboxes: 6, messagesPerMailbox: 36, meetingsPerMailbox: 12, seed: 53))
        try await harness.test { client in
            let fixture = try await GraphTenantFixture.create(client, harness: harness)
            let store = harness.store
            let platform = harness.platform
            store.updateFaults { $0.latency = .milliseconds(120) }
            let runID = try await fixture.runNow(client)

            var environment = [
                "RAPPORT_CONTROL_DATABASE_URL": harness.databases.control,
                "RAPPORT_SECRET_KEY": GraphHarness.secret.map { String(format: "%02x", $0) }.joined(),
                "RAPPORT_SQL_DIR": GraphHarness.sqlFolder.path,
                "RAPPORT_LOG_LEVEL": "warning",
                "RAPPORT_GRAPH_LOGIN_URL": harness.server.loginURL,
                "RAPPORT_GRAPH_API_URL": harness.server.apiURL,
                "RAPPORT_GRAPH_PAGE_SIZE": "4",
                "RAPPORT_GRAPH_MAX_CONCURRENCY": "2",
            ]
            for (region, url) in harness.databases.regions { environment[DatabaseSet.urlKey(of: region)] = url }
            let log = NSTemporaryDirectory() + "rapport-graph-crash-\(UUID().uuidString.prefix(8)).log"
            let pid = try ChildProcess.launch(
                [RapportExecutable.url.path, "worker", "--region", "uk", "--lease-seconds", "2", "--poll-seconds", "1"], environment: environment, logFile: log)
            // Kill it once two mailboxes' mail is in, while the others are under way.
            var reached = false
            for _ in 0..<600 {
                let run = try await platform.runs.run(tenant: fixture.tenantID, id: runID)
                let email = run?.steps.first { $0.step == .collectEmail }
                if email?.state == .running, (email?.counts["mailboxes_done"] ?? 0) >= 2 { reached = true; break }
                try await Task.sleep(for: .milliseconds(50))
            }
            ChildProcess.kill9(pid)
            #expect(reached, "the worker never got two mailboxes in: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "no log")")
            let before = store.counters
            let finished = Set(try await platform.graphRunMailboxes.entries(tenant: fixture.tenantID, run: runID).filter { $0.kind == "email" && $0.state == .done }
                .compactMap(\.directoryID))
            #expect(finished.count >= 2 && finished.count < 6, "\(finished.count) mailboxes finished before the kill")
            let points = try await platform.scope(for: try await platform.control.environment(tenant: fixture.tenantID, id: fixture.environment)).graphSync.resumePoints()
            #expect(points.values.flatMap(\.values).contains { !$0.complete } || points.count > finished.count, "resume points were stored as pages committed")

            // Another worker takes the run over when the lease lapses.
            store.updateFaults { $0.latency = .zero }
            let survivor = harness.worker("survivor", lease: 2)
            var outcome: RunRecord?
            for _ in 0..<100 {
                _ = try await survivor.runOnce()
                if let run = try await platform.runs.run(tenant: fixture.tenantID, id: runID), run.status != .running, run.status != .queued {
                    outcome = run
                    break
                }
                try await Task.sleep(for: .milliseconds(300))
            }
            let run = try #require(outcome, "the killed run was never completed")
            #expect(run.status == .succeeded, "\(run.error ?? "")")
            #expect(run.attempts == 2)
            let email = try #require(run.steps.first { $0.step == .collectEmail })
            #expect(email.counts["mailboxes_done"] == 6)
            let after = store.counters
            // The finished mailboxes' mail was not fetched again.
            for user in finished {
                for folder in ["inbox", "sentitems"] {
                    #expect(after.requestsByFolder["\(user)/\(folder)"] == before.requestsByFolder["\(user)/\(folder)"], "\(folder) of a finished mailbox fetched again")
                }
            }
            // Each mail folder was synced from scratch once, but for the few whose first page was not yet committed.
            #expect(after.fullSyncs - 6 <= 12 + 2, "\(after.fullSyncs) full syncs")
            try await GraphRunTests().expectSameSignals(harness, fixture, harness.tenant.expectedRecords())
            try? FileManager.default.removeItem(atPath: log)
        }
        await harness.shutdown()
    }
}
