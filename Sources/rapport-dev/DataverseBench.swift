import ArgumentParser
import AsyncHTTPClient
import Connectors
import FakeDataverse
import Foundation
import Ingest
import Logging
import NIOCore
import Platform
import Postgres

/// `rapport-dev bench dataverse`: the export of a published result to the fake Dataverse over HTTP.
///
/// Three organizations of one fake: Rapport exports N accounts' Year and Month rows to the first
/// with the service protection limits off, and a bare loop replays the very requests Rapport sent
/// (kept by the fake's journal) to the second, at the same concurrency: the difference is Rapport's
/// own cost (reading the result, hashing, recording). A second export of the unchanged result shows
/// the cost of finding that nothing changed. Then a smaller result goes to the third organization
/// under the documented limits, their window scaled down (and the budgets with it, so the steady
/// rate is Microsoft's), and the full export's time under the real limits is projected from it.
struct DataverseBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dataverse",
        abstract: "Export N accounts' Year and Month rows to the fake Dataverse beside a bare replay of the same requests, then under the service protection limits.",
        discussion: "Build in release mode (swift build -c release). The fake runs in the same process, on the same cores.")

    @Option(help: "Accounts of the published result (13 rows each: a Year and 12 Months).") var accounts = 100_000
    @Option(help: "Accounts of the export under the service protection limits.") var limitedAccounts = 10_000
    @Option(help: "The limits' 300-second window divided by this, and its budgets with it.") var scale = 20.0
    @Option(help: "dataverse.max.concurrency.") var concurrency = 8
    @Option(help: "dataverse.batch.size.") var batchSize = 500
    @OptionGroup var table: BenchTable

    static let entraTenant = "9b2f0c4e-3d1a-4f6b-8e7c-5a4b3c2d1e0f"
    static let clientID = "3f8e6a2c-1b4d-4e5f-9a8b-7c6d5e4f3a2b"
    static let clientSecret = "bench-dataverse-secret"
    static let hosts = ["bench.crm4.dynamics.com", "bench-replay.crm4.dynamics.com", "bench-limits.crm4.dynamics.com"]
    static let engagementTable = "rapport_accountengagement"

    func validate() throws {
        guard accounts >= 1, limitedAccounts >= 1 else { throw ValidationError("--accounts and --limited-accounts must be at least 1") }
        guard (1...52).contains(concurrency) else { throw ValidationError("--concurrency must be 1 to 52") }
        guard (1...1000).contains(batchSize) else { throw ValidationError("--batch-size must be 1 to 1,000") }
        guard scale >= 1 else { throw ValidationError("--scale must be at least 1") }
    }

    func run() async throws {
        let scratch = try ThrowawayCluster.start("dataverse-bench")
        defer { scratch.stop() }
        let logger = Logger(label: "rapport.bench", level: .warning)
        let databases = try await scratch.migratedDatabases(logger: logger)
        guard let regionURL = databases.regions[.eu] else { throw BenchError("no Europe database") }

        let organizations = Self.hosts.map { host in
            FakeDataverseOrganization(host: host, organizationID: UUID(), applicationUsers: [.init(clientID: Self.clientID)])
        }
        let store = FakeDataverseStore(
            app: FakeDataverseApp(tenantID: Self.entraTenant, clientID: Self.clientID, clientSecret: Self.clientSecret), organizations: organizations)
        store.updateSettings { $0.keyActivation = .immediately }
        store.updateLimits { $0.enabled = false }
        let server = FakeDataverseServer(store: store)
        try await server.start()
        defer { Task { await server.stop() } }

        let control = TenantStore(pool: PostgresPool(.init(connectionString: databases.control, maximumConnections: 8), logger: logger))
        let regions = RegionDatabases(databases, maximumConnections: 8, logger: logger)
        var platform = Platform(control: control, regions: regions, serviceSecret: (0..<32).map { _ in UInt8.random(in: 0...255) })
        platform.dataverse = DataverseSettings(
            loginURL: server.baseURL, apiURL: server.baseURL, maximumConcurrency: concurrency, batchSize: batchSize)
        let environments = try await prepare(platform: platform, organizations: organizations)
        let connector = DataverseConnector(platform: platform, logger: logger)

        printLine("Dataverse export benchmark: \(BenchTable.count(accounts)) accounts × 13 rows (Year + 12 Months), batches of \(batchSize), concurrency \(concurrency), \(ProcessInfo.processInfo.activeProcessorCount) cores")
        let written = ContinuousClock.now
        try await publish(url: regionURL, environment: environments[0], accounts: accounts)
        try await publish(url: regionURL, environment: environments[2], accounts: limitedAccounts)
        printLine(String(format: "  published results written: %.1f s", (ContinuousClock.now - written).seconds))
        _ = try await connector.provision(environments[0])
        _ = try await connector.provision(environments[1])

        do {
            try await measure(store: store, server: server, connector: connector, environments: environments)
        } catch {
            try? await connector.shutdown()
            throw error
        }
        try await connector.shutdown()
        await control.pool.shutdown()
        await regions.shutdown()
    }

    private func measure(store: FakeDataverseStore, server: FakeDataverseServer, connector: DataverseConnector, environments: [ControlStore.Environment]) async throws {
        let rows = accounts * 13

        // 1. Rapport, limits off.
        store.resetCounters()
        store.startJournal()
        var started = ContinuousClock.now
        let figures = try await connector.export(environments[0], full: false) { _ in }
        let rapportSeconds = (ContinuousClock.now - started).seconds
        let journal = store.takeJournal()
        let exported = store.counters
        let held = store.count(of: Self.engagementTable, in: Self.hosts[0])
        guard held == rows, figures["rows_sent"] == rows else {
            throw BenchError("the organization holds \(held) rows and Rapport sent \(figures["rows_sent"] ?? 0); \(rows) were published")
        }
        let costPerRow = exported.simulatedExecutionMilliseconds / Double(rows)
        printLine("  export figures: " + figures.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))

        // 2. The bare replay of the same requests, to the second organization.
        let upserts = journal.filter { $0.path.contains(Self.engagementTable + "s/Microsoft.Dynamics.CRM.UpsertMultiple") }
        store.resetCounters()
        let replaySeconds = try await replay(upserts, to: Self.hosts[1], baseURL: server.baseURL)
        let replayed = store.count(of: Self.engagementTable, in: Self.hosts[1])
        guard replayed == rows else { throw BenchError("the replay left \(replayed) rows, not \(rows)") }

        // 3. The same result again: nothing changed, nothing sent.
        store.resetCounters()
        started = ContinuousClock.now
        let again = try await connector.export(environments[0], full: false) { _ in }
        let unchangedSeconds = (ContinuousClock.now - started).seconds
        guard again["rows_sent"] == 0, again["rows_unchanged"] == rows else { throw BenchError("the second export sent \(again["rows_sent"] ?? -1) rows") }

        // 4. Under the documented limits, scaled: the window and its budgets divided by `scale`.
        let documented = FakeDataverseLimits()
        store.updateLimits {
            $0.enabled = true
            $0.windowSeconds = documented.windowSeconds / scale
            $0.requestLimit = max(1, Int((Double(documented.requestLimit) / scale).rounded()))
            $0.executionTimeLimitMilliseconds = max(1, Int((Double(documented.executionTimeLimitMilliseconds) / scale).rounded()))
        }
        store.resetLimitWindows()
        store.resetCounters()
        _ = try await connector.provision(environments[2])
        store.resetCounters()
        started = ContinuousClock.now
        let limited = try await connector.export(environments[2], full: false) { _ in }
        let limitedSeconds = (ContinuousClock.now - started).seconds
        let limitedCounters = store.counters
        let limitedRows = limitedAccounts * 13
        guard store.count(of: Self.engagementTable, in: Self.hosts[2]) == limitedRows else { throw BenchError("the limited export is incomplete") }

        // What the documented limits allow at the fake's modelled cost: execution time, then request count.
        let budgetPerSecond = Double(documented.executionTimeLimitMilliseconds) / documented.windowSeconds
        let requestsPerSecond = Double(documented.requestLimit) / documented.windowSeconds
        let rowsPerRequest = Double(rows) / Double(max(1, exported.upsertMultipleCalls))
        let ceiling = min(budgetPerSecond / costPerRow, requestsPerSecond * rowsPerRequest)
        // The scaled run's steady rate: rows after the first window's burst, over the time after it.
        let unlimitedRate = Double(rows) / rapportSeconds
        let burstRows = min(Double(limitedRows), Double(documented.executionTimeLimitMilliseconds) / scale / costPerRow)
        let steadySeconds = max(0.001, limitedSeconds - burstRows / unlimitedRate)
        let achieved = (Double(limitedRows) - burstRows) / steadySeconds
        // The full export under the real limits: the first window's burst at full speed, then the achieved steady rate.
        let fullBurst = min(Double(rows), Double(documented.executionTimeLimitMilliseconds) / costPerRow)
        // Without a measured steady rate, the ceiling stands in for it.
        let steadyRate = burstRows >= Double(limitedRows) ? ceiling : max(achieved, 1)
        let projected = fullBurst / unlimitedRate + (Double(rows) - fullBurst) / steadyRate

        let requests = exported.requests
        printLine("""

            1. Rapport's export, limits off: \(BenchTable.seconds(rapportSeconds)) = \(BenchTable.rate(Double(rows) / rapportSeconds, "rows")), \
            \(BenchTable.rate(Double(requests) / rapportSeconds, "req")) (\(requests) requests, \(exported.upsertMultipleCalls) UpsertMultiple, \
            at most \(exported.maximumConcurrent) at once), \(BenchTable.count(held)) rows held
            2. the same \(upserts.count) UpsertMultiple requests replayed by a bare loop: \(BenchTable.seconds(replaySeconds)) = \
            \(BenchTable.rate(Double(rows) / replaySeconds, "rows")) → Rapport takes \(BenchTable.ratio(rapportSeconds / replaySeconds)) the replay's time
            3. the unchanged result exported again: \(BenchTable.seconds(unchangedSeconds)), \(again["rows_unchanged"] ?? 0) rows unchanged, \
            \(again["requests"] ?? 0) requests
            4. under the documented limits (window \(documented.windowSeconds / scale) s, \(Int(Double(documented.requestLimit) / scale)) requests, \
            \(Int(Double(documented.executionTimeLimitMilliseconds) / scale)) ms per window): \(BenchTable.count(limitedRows)) rows in \
            \(BenchTable.seconds(limitedSeconds)), \(limited["throttled_waits"] ?? 0) throttled waits, 429s \(limitedCounters.throttled)
               modelled execution time \(String(format: "%.3f", costPerRow)) ms per row → the limits allow \(BenchTable.rate(ceiling, "rows")); \
            \(burstRows >= Double(limitedRows)
                ? "every row fitted in the first window's burst (raise --limited-accounts or --scale to see the steady rate)"
                : "after the first window's burst the export ran at \(BenchTable.rate(achieved, "rows")) = \(BenchTable.ratio(achieved / ceiling)) of that")
               the \(BenchTable.count(accounts))-account export under the real limits (300 s window): about \(BenchTable.seconds(projected)) \
            (\(String(format: "%.1f", projected / 60)) min)
            """)

        let size = "\(BenchTable.count(accounts)) accounts, \(BenchTable.count(rows)) rows"
        try table.append(
            .init(stage: "Dataverse export, published → organization (fake, limits off)", size: size,
                  rapport: "\(BenchTable.seconds(rapportSeconds)) (\(BenchTable.rate(Double(rows) / rapportSeconds, "rows")), \(BenchTable.rate(Double(requests) / rapportSeconds, "req")))",
                  baseline: "bare replay of the same requests: \(BenchTable.seconds(replaySeconds))", ratio: BenchTable.ratio(rapportSeconds / replaySeconds) + " the time",
                  goal: "—"),
            .init(stage: "Dataverse export under the service protection limits (scaled 1/\(Int(scale)))", size: "\(BenchTable.count(limitedRows)) rows",
                  rapport: "\(BenchTable.rate(achieved, "rows")) steady; full export ≈ \(String(format: "%.1f", projected / 60)) min",
                  baseline: "the limits' ceiling: \(BenchTable.rate(ceiling, "rows"))", ratio: BenchTable.ratio(achieved / ceiling), goal: "—"))
    }

    /// Sends `requests` again, each to `host` with a fresh token, `concurrency` at a time; returns the seconds taken.
    private func replay(_ requests: [FakeDataverseRequest], to host: String, baseURL: String) async throws -> Double {
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup)
        do {
            let token = try await Self.token(client: client, baseURL: baseURL, host: host)
            let prepared: [HTTPClientRequest] = requests.map { recorded in
                var path = recorded.path.drop { $0 == "/" }
                path = path.drop { $0 != "/" }
                var request = HTTPClientRequest(url: baseURL + "/" + host + path + (recorded.query.map { "?" + $0 } ?? ""))
                request.method = .RAW(value: recorded.method)
                for (name, value) in recorded.headers where name.lowercased() != "authorization" && name.lowercased() != "host" && name.lowercased() != "content-length" {
                    request.headers.add(name: name, value: value)
                }
                request.headers.add(name: "Authorization", value: "Bearer \(token)")
                request.body = .bytes(ByteBuffer(bytes: recorded.body))
                return request
            }
            let started = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                var next = 0
                func send(_ request: HTTPClientRequest) {
                    group.addTask {
                        let response = try await client.execute(request, timeout: .seconds(300))
                        _ = try await response.body.collect(upTo: 1 << 20)
                        guard (200..<300).contains(Int(response.status.code)) else { throw BenchError("the replay got HTTP \(response.status.code)") }
                    }
                }
                while next < min(concurrency, prepared.count) {
                    send(prepared[next])
                    next += 1
                }
                while try await group.next() != nil, next < prepared.count {
                    send(prepared[next])
                    next += 1
                }
                try await group.waitForAll()
            }
            let seconds = (ContinuousClock.now - started).seconds
            try await client.shutdown()
            return seconds
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// A client-credentials token for `host`, from the fake's token endpoint.
    private static func token(client: HTTPClient, baseURL: String, host: String) async throws -> String {
        var request = HTTPClientRequest(url: "\(baseURL)/\(entraTenant)/oauth2/v2.0/token")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        let form = "grant_type=client_credentials&client_id=\(clientID)&client_secret=\(clientSecret)&scope=https%3A%2F%2F\(host)%2F.default"
        request.body = .bytes(ByteBuffer(string: form))
        let response = try await client.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 20)
        guard let token = try JSONParser.parse(Array(body.readableBytesView)).objectValue?["access_token"]?.stringValue else {
            throw BenchError("the fake's token endpoint answered HTTP \(response.status.code)")
        }
        return token
    }

    /// A tenant with the app registration and three Europe environments, each attached to one organization.
    private func prepare(platform: Platform, organizations: [FakeDataverseOrganization]) async throws -> [ControlStore.Environment] {
        let control = platform.control
        let root = Caller.localOperator(try await control.localOperator(named: "bench"))
        let tenant = try await control.createTenant(name: "Dataverse bench", emailDomains: ["bench.example"], by: root)
        let owner = try await control.createPrincipal(tenant: tenant.id, displayName: "Owner", email: "owner@bench.example", by: root)
        _ = try await control.assignRole(tenant: tenant.id, principal: owner.id, role: .owner, environment: nil, notifyEmail: nil, by: root)
        let caller = Caller(
            identity: .principal(tenantID: tenant.id, principalID: owner.id), keyID: Caller.systemKeyID, roles: [RoleGrant(role: .owner, environmentID: nil)])
        _ = try await platform.saveGraphRegistration(
            tenant: tenant.id, .init(entraTenantID: Self.entraTenant, clientID: Self.clientID, clientSecret: Self.clientSecret), by: caller)
        var environments: [ControlStore.Environment] = []
        for (index, organization) in organizations.enumerated() {
            let environment = try await control.createEnvironment(
                tenant: tenant.id, name: "Dataverse \(index + 1)", region: .eu, profileType: .businessAccounts, by: caller)
            _ = try await control.attachDataverse(
                tenant: tenant.id, environment: environment.id, organizationURL: "https://\(organization.host)",
                organizationID: organization.organizationID, by: caller)
            environments.append(environment)
        }
        return environments
    }

    /// Writes a published run of `accounts` accounts' Year and Month rows straight into the region database.
    private func publish(url: String, environment: ControlStore.Environment, accounts: Int) async throws {
        let connection = try await PostgresConnection.connect(url)
        defer { Task { await connection.close() } }
        let run = UUID()
        let asOf = Date(timeIntervalSince1970: 1_796_083_200)  // 2026-12-01
        let start = asOf.addingTimeInterval(-365 * 86_400)
        try await connection.withTransaction { connection in
            try await connection.execute(
                """
                INSERT INTO enrichment_run (tenant_id, environment_id, run_id, status, as_of, window_start, score_version, weights, published_at)
                VALUES (\(environment.tenantID), \(environment.id), \(run), 'published', \(asOf), \(start), 1, '{}'::jsonb, \(asOf))
                """)
            // Figures vary with the account and the period; a third of the accounts have no meetings, half no replies.
            try await connection.execute(
                """
                INSERT INTO account_engagement (tenant_id, environment_id, run_id, level, period_start, account_id, engagement_score, raw_score,
                    emails_to_account, emails_from_account, meetings_from_account, meetings_to_account, contacts_in_meetings, contacts_in_emails,
                    account_contacts_in_meetings, account_contacts_in_emails, engagement_start_date, days_since_last_email, days_since_last_meeting,
                    average_meeting_minutes, average_reply_minutes)
                SELECT \(environment.tenantID), \(environment.id), \(run), p.level, p.start, 'A' || a, (a * 37 + p.n) % 101, ((a * 37 + p.n) % 101) / 100.0,
                    (a + p.n) % 40, (a * 3 + p.n) % 25, (a + p.n) % 6, (a * 5 + p.n) % 4, (a + p.n) % 9, (a * 7 + p.n) % 30, (a + p.n) % 5,
                    (a * 11 + p.n) % 12, \(start)::date + (a % 300)::int, a % 90, CASE WHEN a % 3 = 0 THEN NULL ELSE a % 120 END,
                    CASE WHEN a % 3 = 0 THEN NULL ELSE 30 + (a % 4) * 15 END, CASE WHEN a % 2 = 0 THEN NULL ELSE round((a % 1000) / 7.0, 2)::float8 END
                FROM generate_series(0, \(accounts - 1)) a,
                    (SELECT 'Year' AS level, \(start)::date AS start, 0 AS n
                     UNION ALL SELECT 'Month', (date_trunc('month', \(start)::date) + make_interval(months => m))::date, m + 1 FROM generate_series(0, 11) m) p
                """)
            try await connection.execute(
                "INSERT INTO current_result (tenant_id, environment_id, run_id, published_at) VALUES (\(environment.tenantID), \(environment.id), \(run), \(asOf))")
        }
    }
}
