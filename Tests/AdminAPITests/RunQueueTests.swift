import AdminAPI
import Engagement
import Foundation
import HummingbirdTesting
import Platform
import Testing

@Suite("Run queue")
struct RunQueueTests {
    @Test("a failing run is retried with growing backoff, then fails with its reason; a lapsed lease is taken over")
    func retriesAndLeases() async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            let fixture = try await LifecycleFixture.create(client, harness: harness, regions: [.uk])
            var queue = harness.services.platform.runs
            queue.maximumAttempts = 3
            let start = Date()
            let run = try await queue.enqueue(
                tenant: fixture.tenantID, environment: fixture.environmentID(.uk), region: .uk, trigger: .manual, scheduledFor: start, at: start)
            // Only a uk worker sees it.
            #expect(try await queue.claim(region: .eu, worker: "eu", lease: 60, at: start) == nil)
            var moment = start
            var delays: [TimeInterval] = []
            for attempt in 1...3 {
                let claimed = try #require(try await queue.claim(region: .uk, worker: "uk", lease: 60, at: moment), "attempt \(attempt)")
                #expect(claimed.attempts == attempt)
                // While leased, nobody else can claim it.
                #expect(try await queue.claim(region: .uk, worker: "other", lease: 60, at: moment) == nil)
                try await queue.fail(claimed, worker: "uk", error: "the region database is unreachable", retryable: true, at: moment)
                let after = try #require(try await queue.run(tenant: fixture.tenantID, id: run.id))
                if attempt < 3 {
                    #expect(after.status == .queued)
                    // PostgreSQL keeps microseconds; Date keeps more.
                    delays.append((after.scheduledFor.timeIntervalSince(moment) * 1000).rounded() / 1000)
                    #expect(try await queue.claim(region: .uk, worker: "uk", lease: 60, at: moment) == nil)  // not yet due
                    moment = after.scheduledFor
                    // The retry starts later but keeps the run's window.
                    #expect(abs(after.asOf.timeIntervalSince(start)) < 0.001)
                } else {
                    #expect(after.status == .failed)
                    #expect(after.error == "the region database is unreachable")
                }
            }
            #expect(delays == [30, 60])

            // A worker that stops renewing loses its run to another after the lease.
            let second = try await queue.enqueue(
                tenant: fixture.tenantID, environment: fixture.environmentID(.uk), region: .uk, trigger: .manual, scheduledFor: moment, at: moment)
            let first = try #require(try await queue.claim(region: .uk, worker: "lost", lease: 10, at: moment))
            #expect(try await queue.heartbeat(first, worker: "lost", lease: 10, at: moment.addingTimeInterval(5)))
            #expect(try await queue.claim(region: .uk, worker: "taker", lease: 10, at: moment.addingTimeInterval(12)) == nil)
            let taken = try #require(try await queue.claim(region: .uk, worker: "taker", lease: 10, at: moment.addingTimeInterval(16)))
            #expect(taken.id == second.id)
            #expect(taken.leaseOwner == "taker")
            // The lost worker finds out at its next heartbeat and cannot finish the run.
            #expect(try await !queue.heartbeat(first, worker: "lost", lease: 10, at: moment.addingTimeInterval(17)))
            #expect(try await !queue.succeed(first, worker: "lost", at: moment.addingTimeInterval(17)))
            #expect(try await queue.succeed(taken, worker: "taker", at: moment.addingTimeInterval(18)))
        }
        await harness.shutdown()
    }
}
