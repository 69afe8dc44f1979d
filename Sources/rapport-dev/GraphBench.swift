import ArgumentParser
import Connectors
import Engagement
import FakeGraph
import Foundation
import Logging
import Postgres
import Platform
import Worker

/// `rapport-dev bench graph`: a whole run through the Graph connector against the fake Graph server, on a throwaway cluster.
struct GraphBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Time a whole run (token to published result) over the fake Graph server, then the same with throttling.",
        discussion: "Build in release mode (swift build -c release). The fake server runs in the same process, on the same cores.")

    @Option(help: "Selected mailboxes.") var mailboxes = 2500
    @Option(help: "Messages each mailbox owner sends or receives.") var messages = 400
    @Option(help: "Meeting occurrences per mailbox.") var meetings = 100
    @Option(help: "External accounts (customer data).") var accounts = 500
    @Option(help: "Fraction of Graph requests answered 429 in the second run.") var throttle = 0.05
    @Option(help: "Retry-After seconds the fake sends with a 429.") var retryAfter = 1
    @Option(help: "graph.max.concurrency.") var concurrency = 16
    @Option(help: "graph.page.size.") var pageSize = 100
    @OptionGroup var table: BenchTable

    func run() async throws {
        let scratch = try ThrowawayCluster.start("graph-bench")
        defer { scratch.stop() }
        let logger = Logger(label: "rapport.bench", level: .warning)
        let databases = try await scratch.migratedDatabases(logger: logger)

        printLine("Graph connector benchmark: \(mailboxes) mailboxes × \(messages) messages and \(meetings) meetings, \(ProcessInfo.processInfo.activeProcessorCount) cores")
        let generated = ContinuousClock.now
        let tenant = FakeTenantGenerator.generate(
            .init(mailboxes: mailboxes, messagesPerMailbox: messages, meetingsPerMailbox: meetings, externalAccounts: accounts, seed: 7))
        let store = FakeGraphStore(
            tenant: tenant, credentials: .init(tenantID: tenant.entraTenantID, clientID: "3f8e6a2c-1b4d-4e5f-9a8b-7c6d5e4f3a2b", clientSecret: "bench-secret"))
        store.defaultPageSize = pageSize
        let server = FakeGraphServer(store: store)
        try await server.start()
        printLine(String(format: "  fake tenant generated and rendered: %.1f s", (ContinuousClock.now - generated).seconds))

        let control = TenantStore(pool: PostgresPool(.init(connectionString: databases.control, maximumConnections: 8), logger: logger))
        let regions = RegionDatabases(databases, maximumConnections: 8, logger: logger)
        var platform = Platform(control: control, regions: regions, serviceSecret: (0..<32).map { _ in UInt8.random(in: 0...255) })
        platform.graph = GraphSettings(loginURL: server.loginURL, apiURL: server.apiURL, maximumConcurrency: concurrency, pageSize: pageSize)
        let setup = try await GraphBenchSetup.prepare(platform: platform, fake: tenant, store: store, accounts: accounts, environments: 2)
        let collector = GraphCollector(platform: platform, logger: logger)
        do {
            try await measure(platform: platform, setup: setup, store: store, collector: collector, logger: logger)
        } catch {
            try? await collector.shutdown()
            await server.stop()
            throw error
        }
        try await collector.shutdown()
        await server.stop()
        await control.pool.shutdown()
        await regions.shutdown()
    }

    /// The run without faults, then the run with the fake's 429s, each on its own environment.
    private func measure(platform: Platform, setup: GraphBenchSetup, store: FakeGraphStore, collector: GraphCollector, logger: Logger) async throws {
        var wallTimes: [Double] = []
        for (pass, environment) in setup.environments.enumerated() {
            let rate = pass == 0 ? 0 : throttle
            store.updateFaults {
                $0.throttleRate = rate
                $0.retryAfterSeconds = retryAfter
            }
            store.resetCounters()
            let run = try await platform.runNow(tenant: setup.tenantID, environment: environment.id, by: setup.caller)
            let worker = RegionWorker(platform: platform, configuration: .init(region: environment.region, workerID: "bench"), collectors: [collector], logger: logger)
            let started = ContinuousClock.now
            guard try await worker.runOnce() else { throw ValidationError("the run was not claimed") }
            let seconds = (ContinuousClock.now - started).seconds
            wallTimes.append(seconds)
            guard let finished = try await platform.runs.run(tenant: setup.tenantID, id: run.id), finished.status == .succeeded else {
                let failed = try await platform.runs.run(tenant: setup.tenantID, id: run.id)
                throw ValidationError("the run did not succeed: \(failed?.error ?? failed?.steps.compactMap(\.error).joined(separator: "; ") ?? "?")")
            }
            let counters = store.counters
            let email = finished.steps.first { $0.step == .collectEmail }?.counts ?? [:]
            let meetingsStep = finished.steps.first { $0.step == .collectMeetings }?.counts ?? [:]
            printLine("""

                run \(pass + 1): 429 rate \(Int(rate * 100))% (Retry-After \(retryAfter) s), concurrency \(concurrency), page size \(pageSize)
                  wall time, token to published result: \(String(format: "%.1f", seconds)) s = \(String(format: "%.1f", Double(mailboxes) / seconds)) mailboxes/s
                  mailboxes done: \(email["mailboxes_done"] ?? 0) of \(email["mailboxes_total"] ?? 0) (email), \(meetingsStep["mailboxes_done"] ?? 0) (meetings)
                  emails read: \(email["emails"] ?? 0), meeting occurrences read: \(meetingsStep["meetings"] ?? 0), signals stored: \((email["signals_stored"] ?? 0) + (meetingsStep["signals_stored"] ?? 0))
                  Graph requests: \(counters.requests) (\(counters.throttled) answered 429), token requests: \(counters.tokenRequests), items served: \(counters.itemsServed)
                """)
            for step in finished.steps {
                guard let from = step.startedAt, let to = step.finishedAt else { continue }
                printLine("    \(step.step.rawValue.padding(toLength: 18, withPad: " ", startingAt: 0)) \(String(format: "%7.1f s", to.timeIntervalSince(from)))")
            }
        }
        guard wallTimes.count == 2 else { return }
        let size = "\(BenchTable.count(mailboxes)) mailboxes × \(messages) messages + \(meetings) meetings"
        let rate = { (seconds: Double) in BenchTable.seconds(seconds) + String(format: " (%.1f mailboxes/s)", Double(mailboxes) / seconds) }
        try table.append(
            .init(stage: "Graph run, token → published (fake Graph server)", size: size, rapport: rate(wallTimes[0]),
                  baseline: "—", ratio: "—", goal: "—"),
            .init(stage: "Graph run with \(Int((throttle * 100).rounded()))% of requests 429 (Retry-After \(retryAfter) s)", size: size,
                  rapport: rate(wallTimes[1]), baseline: "the same run without 429s: " + BenchTable.seconds(wallTimes[0]),
                  ratio: BenchTable.ratio(wallTimes[1] / wallTimes[0]) + " the time", goal: "—"))
    }
}
