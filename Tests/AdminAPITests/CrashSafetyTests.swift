import AdminAPI
import Engagement
import Foundation
import HummingbirdTesting
import Postgres
import Platform
import TestSupport
import Testing
import Worker

@Suite("Crash safety")
struct CrashSafetyTests {
    @Test("a worker killed with SIGKILL in each step: another worker completes the run with the same result and no duplicates")
    func killInEveryStep() async throws {
        let harness = try await APIHarness.make()
        let platform = harness.services.platform
        try await harness.test { client in
            let fixture = try await LifecycleFixture.create(client, harness: harness, regions: [.uk])
            #expect(try await client.call(.put, "\(fixture.base(.uk))/enrichment", key: fixture.adminKey, json: fixture.configuration()).status == .ok)
            #expect(try await client.call(.post, "/v1/tenants/\(fixture.tenant.id)/consent", key: fixture.o365Key, json: ["decision": "grant"]).status == .ok)
            try await fixture.pushActivity(client, region: .uk, at: harness.clock.now)
            let environment = try await platform.control.environment(tenant: fixture.tenantID, id: fixture.environmentID(.uk))
            let results = try platform.scope(for: environment).results

            // The uninterrupted run, for comparison.
            let survivor = RegionWorker(platform: platform, configuration: .init(region: .uk, workerID: "survivor", lease: 2), logger: .init(label: "survivor"))
            _ = try await client.call(.post, "\(fixture.base(.uk))/runs", key: fixture.adminKey)
            #expect(try await survivor.runOnce())
            let baseline = try await allRows(results, fixture)
            #expect(baseline.count > 3)
            let signalCount = try await signals(platform, fixture)

            var environmentVariables = [
                "RAPPORT_CONTROL_DATABASE_URL": harness.databases.control,
                "RAPPORT_SECRET_KEY": APIHarness.secret.map { String(format: "%02x", $0) }.joined(),
                "RAPPORT_SQL_DIR": APIHarness.sqlFolder.path,
                "RAPPORT_LOG_LEVEL": "warning",
            ]
            for (region, url) in harness.databases.regions { environmentVariables[DatabaseSet.urlKey(of: region)] = url }
            let log = NSTemporaryDirectory() + "rapport-crash-\(UUID().uuidString.prefix(8)).log"

            for step in RunStep.allCases {
                let queued = try await client.call(.post, "\(fixture.base(.uk))/runs", key: fixture.adminKey)
                #expect(queued.status == .accepted, "\(queued.text)")
                let runID = try #require(UUID(uuidString: queued["id"] as? String ?? ""))
                var variables = environmentVariables
                variables["RAPPORT_WORKER_PAUSE_AT"] = step.rawValue
                let pid = try ChildProcess.launch(
                    [RapportExecutable.url.path, "worker", "--region", "uk", "--lease-seconds", "2", "--poll-seconds", "1"],
                    environment: variables, logFile: log)
                // Wait until the doomed worker is inside the step, then kill it.
                var reached = false
                for _ in 0..<300 {
                    let run = try await platform.runs.run(tenant: fixture.tenantID, id: runID)
                    if run?.steps.first(where: { $0.step == step })?.state == .running, run?.leaseOwner != nil { reached = true; break }
                    try await Task.sleep(for: .milliseconds(100))
                }
                ChildProcess.kill9(pid)
                #expect(reached, "the worker never reached \(step.rawValue); see \(log)")
                // Another worker takes the run over once the lease lapses.
                var finished: RunRecord?
                for _ in 0..<100 {
                    _ = try await survivor.runOnce()
                    if let run = try await platform.runs.run(tenant: fixture.tenantID, id: runID), run.status != .running, run.status != .queued {
                        finished = run
                        break
                    }
                    try await Task.sleep(for: .milliseconds(300))
                }
                let run = try #require(finished, "the run killed in \(step.rawValue) was never completed")
                #expect(run.status == .succeeded, "killed in \(step.rawValue): \(run.error ?? "")")
                #expect(run.attempts == 2, "killed in \(step.rawValue)")
                #expect(try await results.summary()?.runID == runID)
                #expect(try await allRows(results, fixture) == baseline, "killed in \(step.rawValue)")
                #expect(try await signals(platform, fixture) == signalCount, "killed in \(step.rawValue)")
            }
            try? FileManager.default.removeItem(atPath: log)
        }
        await harness.shutdown()
    }

    func allRows(_ results: ResultsStore, _ fixture: LifecycleFixture) async throws -> [EnrichedRow] {
        var query = ResultsStore.Query()
        query.limit = 1000
        query.sort = .accountID
        query.descending = false
        return try #require(try await results.rows(query)).rows
    }

    func signals(_ platform: Platform, _ fixture: LifecycleFixture) async throws -> Int {
        try await platform.regions.database(for: .uk).withTenant(fixture.tenantID) { connection in
            try await connection.query("SELECT (SELECT count(*) FROM email_signal) + (SELECT count(*) FROM meeting_signal)")[0].decode(Int.self, at: 0)
        }
    }
}
