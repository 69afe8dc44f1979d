import AdminAPI
import Engagement
import Foundation
import HummingbirdTesting
import Platform
import Testing
import Worker

@Suite("rapport enrich runs the worker's pipeline")
struct EnrichNowTests {
    @Test("an in-process run records every step, uses the stored weights, re-evaluates segments and publishes what a worker's run publishes")
    func sameAsWorker() async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            let fixture = try await LifecycleFixture.create(client, harness: harness, regions: [.uk])
            let base = fixture.base(.uk)
            var configuration = fixture.configuration()
            configuration["weights"] = ["emails_to_account": 7.5, "reciprocity": 0.25]
            #expect(try await client.call(.put, "\(base)/enrichment", key: fixture.adminKey, json: configuration).status == .ok)
            #expect(try await client.call(.post, "/v1/tenants/\(fixture.tenant.id)/consent", key: fixture.o365Key, json: ["decision": "grant"]).status == .ok)
            try await fixture.pushActivity(client, region: .uk, at: harness.clock.now)
            let platform = harness.services.platform
            let environment = try await platform.control.environment(tenant: fixture.tenantID, id: fixture.environmentID(.uk))
            let worker = RegionWorker(platform: platform, configuration: .init(region: .uk, workerID: "enrich-test"), logger: .init(label: "t"))

            let run = try await worker.enrichNow(environment, asOf: harness.clock.now)
            #expect(run.status == .succeeded, "\(run)")
            #expect(run.trigger == .command)
            let states = Dictionary(uniqueKeysWithValues: run.steps.map { ($0.step, $0.state) })
            #expect(states == [
                .resolveMailboxes: .succeeded, .collectEmail: .skipped, .collectMeetings: .skipped, .match: .succeeded,
                .aggregate: .succeeded, .score: .succeeded, .publish: .succeeded, .export: .skipped, .notify: .skipped,
            ])
            #expect(run.steps.first { $0.step == .score }?.counts["enriched_customers"] == 2)
            let segments = try await client.call(.get, "\(base)/segments", key: fixture.viewerKey)["segments"] as! [[String: Any]]
            let stale = try #require(segments.first { $0["name"] as? String == "Stale accounts" })
            let evaluations = try await client.call(.get, "\(base)/segments/\(stale["id"] as! String)", key: fixture.viewerKey)["evaluations"] as? [[String: Any]]
            #expect(evaluations?.contains { ($0["run_id"] as? String)?.lowercased() == run.id.uuidString.lowercased() } == true)
            let enriched = try await client.call(.get, "\(base)/accounts/A1/card", key: fixture.viewerKey)

            // A worker's run of the same data and configuration publishes the same figures.
            #expect(try await client.call(.post, "\(base)/runs", key: fixture.adminKey).status == .accepted)
            #expect(try await worker.runOnce())
            let scheduled = try await client.call(.get, "\(base)/accounts/A1/card", key: fixture.viewerKey)
            #expect(enriched["rawScore"] as? Double == scheduled["rawScore"] as? Double)
            #expect(enriched["year"] as? [String: AnyHashable] == scheduled["year"] as? [String: AnyHashable])

            // The default weights (what `rapport enrich` used before) give another raw score.
            let aggregator = try platform.scope(for: environment).aggregator
            let defaults = EnrichmentAggregator.RunSpec(asOf: harness.clock.now, weights: .defaults)
            try await aggregator.aggregate(defaults)
            try await aggregator.publish(runID: defaults.runID, at: harness.clock.now)
            let withDefaults = try await client.call(.get, "\(base)/accounts/A1/card", key: fixture.viewerKey)
            #expect(withDefaults["rawScore"] as? Double != enriched["rawScore"] as? Double)
        }
        await harness.shutdown()
    }
}
