import FakeDataverse
import Foundation
import Ingest
import Testing

/// Service protection limits: concurrency (immediate), request count and execution time (after being exceeded).
@Suite("Fake Dataverse: service protection limits")
struct LimitTests {
    @Test("53 concurrent requests: at least one gets an immediate 429 0x80072326")
    func concurrency() async throws {
        try await FakeDataverseHarness.run { harness in
            let token = try await harness.token()
            // Long enough that all 53 are in flight together even on a loaded machine.
            harness.store.updateFaults { $0.latency = .seconds(3) }
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
                for try await reply in group { all.append(reply) }
                return all
            }
            let refused = replies.filter { $0.0.status == 429 }
            #expect(refused.count >= 1)
            #expect(refused.allSatisfy { $0.0.errorCode == "0x80072326" && $0.0.header("Retry-After") != nil })
            #expect(refused.first?.0.errorMessage == "Number of concurrent requests exceeded the limit of 52.")
            // Refused at once, not after the latency the served ones wait.
            #expect(refused.allSatisfy { $0.1 < .milliseconds(2500) })
            #expect(replies.filter { $0.0.status == 200 }.count <= 52)
            #expect(harness.store.counters.throttled["0x80072326"] == refused.count)
            #expect(harness.store.counters.maximumConcurrent >= 52)
        }
    }

    @Test("the request-count window: the request crossing the limit is served, the next gets 429 0x80072322 with Retry-After, then the window slides")
    func requestWindow() async throws {
        try await FakeDataverseHarness.run { harness in
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
            try await Task.sleep(for: .seconds(retryAfter))
            #expect(try await harness.api("GET", "WhoAmI", token: token).status == 200)
        }
    }

    @Test("the execution-time window: simulated cost past the limit gives 429 0x80072321")
    func executionTime() async throws {
        try await FakeDataverseHarness.run { harness in
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
        }
    }
}
