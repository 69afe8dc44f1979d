import FakeDataverse
import Foundation
import Ingest
import Synchronization
import Testing

/// Service protection limits: concurrency (immediate), request count and execution time (after being exceeded).
@Suite("Fake Dataverse: service protection limits")
struct LimitTests {
    @Test("53 concurrent requests: at least one gets an immediate 429 0x80072326")
    func concurrency() async throws {
        try await FakeDataverseHarness.run { harness in
            let token = try await harness.token()
            // Admitted requests stay in flight until released, however slowly the machine sends the 53.
            harness.store.holdRequests()
            // Should the refusal never come, the held requests are let go after a minute and the expectations fail.
            let safety = Task { [store = harness.store] in
                try await Task.sleep(for: .seconds(60))
                store.releaseHeldRequests()
            }
            defer { safety.cancel() }
            let replies = try await withThrowingTaskGroup(of: (FakeDataverseHarness.Reply, Duration).self) { group in
                for _ in 0..<53 {
                    group.addTask {
                        let clock = ContinuousClock()
                        let start = clock.now
                        let reply = try await harness.api("GET", "WhoAmI", token: token)
                        return (reply, clock.now - start)
                    }
                }
                var all: [(FakeDataverseHarness.Reply, Duration)] = []
                // The refused one answers while the 52 others are held; then the rest are let through.
                for try await reply in group {
                    all.append(reply)
                    if all.count == 1 { harness.store.releaseHeldRequests() }
                }
                return all
            }
            let refused = replies.filter { $0.0.status == 429 }
            #expect(refused.count == 1)
            #expect(refused.allSatisfy { $0.0.errorCode == "0x80072326" && $0.0.header("Retry-After") != nil })
            #expect(refused.first?.0.errorMessage == "Number of concurrent requests exceeded the limit of 52.")
            #expect(replies.filter { $0.0.status == 200 }.count == 52)
            #expect(harness.store.counters.throttled["0x80072326"] == refused.count)
            #expect(harness.store.counters.maximumConcurrent >= 52)
        }
    }

    @Test("the request-count window: the request crossing the limit is served, the next gets 429 0x80072322 with Retry-After, then the window slides")
    func requestWindow() async throws {
        try await FakeDataverseHarness.run { harness in
            let clock = ManualClock()
            harness.store.setClock { clock.now }
            let token = try await harness.token()
            harness.store.updateLimits {
                $0.windowSeconds = 2
                $0.requestLimit = 3
            }
            for _ in 0..<4 { #expect(try await harness.api("GET", "WhoAmI", token: token).status == 200) }
            let refused = try await harness.api("GET", "WhoAmI", token: token)
            #expect(refused.status == 429)
            #expect(refused.errorCode == "0x80072322")
            #expect(refused.errorMessage == "Number of requests exceeded the limit of 3 over time window of 2 seconds.")
            let retryAfter = try #require(refused.header("Retry-After").flatMap(Int.init))
            #expect((1...2).contains(retryAfter))
            clock.advance(by: Double(retryAfter) - 0.5)
            #expect(try await harness.api("GET", "WhoAmI", token: token).status == 429, "not before Retry-After")
            clock.advance(by: 0.6)
            #expect(try await harness.api("GET", "WhoAmI", token: token).status == 200)
        }
    }

    @Test("the execution-time window: simulated cost past the limit gives 429 0x80072321")
    func executionTime() async throws {
        try await FakeDataverseHarness.run { harness in
            let clock = ManualClock()
            harness.store.setClock { clock.now }
            let token = try await harness.token()
            harness.store.updateLimits {
                $0.windowSeconds = 2
                $0.executionTimeLimitMilliseconds = 10
                $0.baseCostMilliseconds = 4
                $0.costPerOperationMilliseconds = 2
            }
            // 6 ms each: the second request crosses 10 ms and is still served.
            #expect(try await harness.api("GET", "WhoAmI", token: token).status == 200)
            #expect(try await harness.api("GET", "WhoAmI", token: token).status == 200)
            let refused = try await harness.api("GET", "WhoAmI", token: token)
            #expect(refused.status == 429)
            #expect(refused.errorCode == "0x80072321")
            #expect(refused.errorMessage?.hasPrefix("Combined execution time of incoming requests exceeded limit of 10  milliseconds over time window of 2 seconds.") == true)
            #expect(refused.header("Retry-After") != nil)
            #expect(harness.store.counters.simulatedExecutionMilliseconds == 12)
            clock.advance(by: 2.1)
            #expect(try await harness.api("GET", "WhoAmI", token: token).status == 200, "the window slid")
        }
    }
}

/// A clock the test moves by hand: the fake's windows slide only when told.
final class ManualClock: Sendable {
    private let moment = Mutex(Date())
    var now: Date { moment.withLock { $0 } }
    func advance(by seconds: Double) { moment.withLock { $0 = $0.addingTimeInterval(seconds) } }
}
