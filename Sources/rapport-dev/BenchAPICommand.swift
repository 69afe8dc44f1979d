import AdminAPI
import ArgumentParser
import Engagement
import Foundation
import Hummingbird
import Logging
import Postgres
import Platform

/// `rapport-dev bench api`: the results API and the customer card under load from wrk, while runs publish.
struct BenchAPICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "api",
        abstract: "Load-test the results API and the customer card with wrk (a second process) while a run publishes.")

    @Option(help: "Accounts published.") var accounts = 100_000
    @Option(help: "Email signals behind them.") var emails = 1_000_000
    @Option(help: "Seconds of load per endpoint at least; the two database-backed ones are read until a run has also published meanwhile.")
    var seconds = 15
    @Option(help: "Seconds of load per endpoint at most, published or not.") var maximumSeconds = 300
    @Option(help: "wrk connections.") var connections = 32
    @OptionGroup var table: BenchTable

    func run() async throws {
        guard let wrk = ["/usr/bin/wrk", "/usr/local/bin/wrk"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw ValidationError("wrk is not installed (apt-get install wrk)")
        }
        let scratch = try ThrowawayCluster.start("bench-api")
        defer { scratch.stop() }
        let folder = scratch.folder
        let logger = Logger(label: "bench", level: .error)
        let databases = try await scratch.migratedDatabases(logger: logger)
        let control = TenantStore(pool: PostgresPool(.init(connectionString: databases.control, maximumConnections: 8), logger: logger))
        let regions = RegionDatabases(databases, maximumConnections: 16, logger: logger)
        let platform = Platform(control: control, regions: regions, serviceSecret: [UInt8](repeating: 3, count: 32))
        let services = AppServices(platform: platform)
        let root = Caller.localOperator(try await control.localOperator(named: "bench"))
        let tenant = try await control.createTenant(name: "Load", emailDomains: ["load.example"], by: root)
        let environment = try await platform.createEnvironment(tenant: tenant.id, name: "Load", region: .eu, profileType: .businessAccounts, by: root)
        let owner = try await control.createPrincipal(tenant: tenant.id, displayName: "Owner", email: nil, by: root)
        _ = try await control.assignRole(tenant: tenant.id, principal: owner.id, role: .owner, environment: nil, notifyEmail: nil, by: root)
        let key = try await control.createKey(tenant: tenant.id, principal: owner.id, name: "load", by: root).1.plaintext

        // Accounts and skewed email signals straight into the region database (this measures reading, not import);
        // the first signals go one to each account, so every account is published.
        let region = try regions.database(for: .eu).pool
        printLine("seeding \(accounts) accounts and \(emails) email signals…")
        try await region.query(
            """
            INSERT INTO business_account (tenant_id, environment_id, account_id, name, web_domains)
            SELECT \(tenant.id), \(environment.id), 'A' || g, 'Account ' || g, ARRAY['account' || g || '.example'] FROM generate_series(0, \(accounts - 1)) g
            """)
        try await region.query(
            """
            INSERT INTO email_signal (tenant_id, environment_id, message_key, account_id, sent_at, to_account, internal_people, account_people)
            SELECT \(tenant.id), \(environment.id), g,
                   'A' || CASE WHEN g <= \(accounts) THEN g - 1 ELSE floor(\(accounts) * power(random(), 3))::int END,
                   now() - random() * interval '360 days', g % 2 = 0, ARRAY[(g % 40)::bigint], ARRAY[(1000 + g % 9)::bigint]
            FROM generate_series(1, \(emails)) g
            """)
        let aggregator = try platform.scope(for: environment).aggregator
        let started = ContinuousClock.now
        let first = EnrichmentAggregator.RunSpec(asOf: Date(), weights: .defaults)
        let summary = try await aggregator.aggregate(first)
        try await aggregator.publish(runID: first.runID, at: Date())
        printLine(String(format: "published %d enriched customers in %.1f s", summary.enrichedCustomers, (ContinuousClock.now - started).seconds))

        let port = Int.random(in: 20_000..<30_000)
        let app = Application(
            router: AdminApplication.buildRouter(services),
            configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: logger)
        let server = Task { try await app.runService() }
        try await Task.sleep(for: .seconds(1))

        // Runs keep publishing while wrk reads.
        let published = BenchProblemCount()
        let publisher = Task {
            while !Task.isCancelled {
                let run = EnrichmentAggregator.RunSpec(asOf: Date(), weights: .defaults)
                do {
                    try await aggregator.aggregate(run)
                    try await aggregator.publish(runID: run.runID, at: Date())
                    published.add()
                } catch { break }
            }
        }
        let base = "/v1/tenants/\(tenant.id.uuidString.lowercased())/environments/\(environment.id.uuidString.lowercased())"
        let scripts = [
            // The baseline: the same server and wrk settings on a route that touches no database.
            ("baseline: /health/live (same server, no database)", "return wrk.format(\"GET\", \"/health/live\")", false),
            // A person browses the preview from the top: one of the first 20 pages, by score.
            ("results rows (Year, 50 per page, first 20 pages)", "local n = math.random(0, 19) * 50\n  return wrk.format(\"GET\", \"\(base)/results/rows?level=Year&limit=50&offset=\" .. n)", true),
            ("customer card (random account)", "return wrk.format(\"GET\", \"\(base)/accounts/A\" .. math.floor(\(accounts) * math.random() ^ 3) .. \"/card\")", true),
        ]
        printLine("wrk -t2 -c\(connections), reads while runs publish:")
        var figures: [(wrk: WrkFigures, seconds: Double, publishes: Int)] = []
        for (name, body, untilPublished) in scripts {
            let script = folder.deletingLastPathComponent().appendingPathComponent("rapport-wrk-\(getpid()).lua")
            try """
                wrk.headers["Authorization"] = "Bearer \(key)"
                request = function()
                  \(body)
                end
                """.write(to: script, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: script) }
            let output = folder.deletingLastPathComponent().appendingPathComponent("rapport-wrk-\(getpid()).out")
            defer { try? FileManager.default.removeItem(at: output) }
            try? FileManager.default.removeItem(at: output)
            // wrk is a second process, started for the longest time and stopped with SIGINT (it then prints its
            // report) once --seconds have passed and, for the database-backed routes, a run has published.
            let before = published.value
            let started = ContinuousClock.now
            let pid = try ChildProcess.launch(
                [wrk, "-t2", "-c\(connections)", "-d\(maximumSeconds)s", "--latency", "-s", script.path, "http://127.0.0.1:\(port)"],
                environment: [:], logFile: output.path)
            let exit = Task { await Self.waitForExit(pid) }
            while (ContinuousClock.now - started).seconds < Double(maximumSeconds) {
                try await Task.sleep(for: .milliseconds(200))
                if (ContinuousClock.now - started).seconds >= Double(seconds) && (!untilPublished || published.value > before) { break }
            }
            kill(pid, SIGINT)
            let status = await exit.value
            let elapsed = (ContinuousClock.now - started).seconds
            let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
            guard status == 0, text.contains("Requests/sec:") else { throw BenchError("wrk failed (\(status)): \(text.prefix(2000))") }
            let publishes = published.value - before
            printLine("  \(name), \(String(format: "%.0f", elapsed)) s: " + Self.summary(text) + "; runs published meanwhile: \(publishes)")
            figures.append((WrkFigures(text), elapsed, publishes))
        }
        publisher.cancel()
        await publisher.value
        printLine("  runs published during the load: \(published.value)")
        let baseline = figures[0]
        for (stage, measured) in [("results API: rows (Year, 50 per page)", figures[1]), ("customer card", figures[2])] {
            try table.append(.init(
                stage: stage + ", read while runs publish",
                size: "\(BenchTable.count(summary.enrichedCustomers)) accounts published, \(BenchTable.count(emails)) email signals; "
                    + "wrk -t2 -c\(connections) for \(String(format: "%.0f", measured.seconds)) s, \(measured.publishes) run(s) published meanwhile",
                rapport: measured.wrk.cell,
                baseline: "wrk on `/health/live`, same server, \(String(format: "%.0f", baseline.seconds)) s: " + baseline.wrk.cell,
                ratio: BenchTable.ratio(measured.wrk.requestsPerSecond / baseline.wrk.requestsPerSecond), goal: "—"))
        }
        server.cancel()
        await control.pool.shutdown()
        await regions.shutdown()
    }

    /// Waits for a launched process on a thread of its own (not one of the few cooperative threads the server needs); its exit status.
    static func waitForExit(_ pid: pid_t) async -> Int32 {
        await withCheckedContinuation { continuation in
            Thread {
                var status: Int32 = 0
                while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
                continuation.resume(returning: status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f))
            }.start()
        }
    }

    /// The figures of one wrk run that go into the summary table.
    struct WrkFigures {
        var requestsPerSecond: Double
        var cell: String

        init(_ output: String) {
            let summary = BenchAPICommand.summary(output)
            requestsPerSecond = Double(summary.prefix { $0 != " " }) ?? .nan
            let parts = summary.split(separator: ", ")
            cell = BenchTable.count(Int(requestsPerSecond.isFinite ? requestsPerSecond.rounded() : 0)) + " req/s, "
                + parts.dropFirst().joined(separator: ", ")
        }
    }

    /// Requests/s, p50 and p99 latency and non-2xx count from wrk's output.
    static func summary(_ output: String) -> String {
        func value(after label: String) -> String {
            guard let line = output.split(separator: "\n").first(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix(label) }) else { return "?" }
            return line.split(separator: " ", omittingEmptySubsequences: true).dropFirst(label.split(separator: " ").count).first.map(String.init) ?? "?"
        }
        let errors = output.contains("Non-2xx") ? value(after: "Non-2xx or 3xx responses:") : "0"
        return "\(value(after: "Requests/sec:")) req/s, p50 \(value(after: "50%")), p99 \(value(after: "99%")), non-2xx \(errors)"
    }
}
