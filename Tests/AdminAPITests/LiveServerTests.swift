import AdminAPI
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Postgres
import Platform
import TestSupport
import Testing

/// The HTTP server as `rapport serve` builds it, on a real port: what only a live connection shows.
@Suite("Live server: malformed requests, slow clients, hang-ups, proxies, metrics")
struct LiveServerTests {
    /// Runs `body` against `AdminApplication.build` on a free port, with a slow route added under `/v1/`.
    func live(
        _ harness: APIHarness, options: HTTPOptions = HTTPOptions(), _ body: @Sendable (any TestClientProtocol, Int) async throws -> Void
    ) async throws {
        let router = AdminApplication.buildRouter(harness.services, options: options)
        let regions = harness.services.platform.regions
        // A statement that takes 20 s unless the server stops it.
        router.get("v1/test/sleep") { _, _ -> HTTPResponse.Status in
            try await regions.database(for: .uk).withTenant(UUID()) { _ = try await $0.query("SELECT pg_sleep(20)") }
            return .ok
        }
        let app = AdminApplication.build(router: router, host: "127.0.0.1", port: 0, options: options, logger: Logger(label: "live"))
        try await app.test(.live) { client in
            try await body(client, try #require(client.port))
        }
    }

    @Test("a 100 KB query string answers 400 in the error shape")
    func oversizedRequestLine() async throws {
        let harness = try await APIHarness.make()
        try await live(harness) { _, port in
            let connection = try RawHTTPConnection(port: port)
            try connection.send("GET /v1/tenants?q=\(String(repeating: "a", count: 100_000)) HTTP/1.1\r\nHost: x\r\n\r\n")
            let answer = try #require(await connection.readUntilClosed(timeout: 10))
            #expect(answer.hasPrefix("HTTP/1.1 400"), "\(answer.prefix(200))")
            let body = try #require(answer.components(separatedBy: "\r\n\r\n").last)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: [String: String]])
            #expect(object["error"]?["code"] == "invalid")
            #expect(object["error"]?["message"]?.contains("larger than the server accepts") == true)
            // Alive, asked on a connection of its own (the test client's may have idled out on a busy machine).
            let fresh = try RawHTTPConnection(port: port)
            try fresh.send("GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            #expect(await fresh.readUntilClosed(timeout: 60)?.hasPrefix("HTTP/1.1 200") == true)
        }
        await harness.shutdown()
    }

    @Test("a connection whose headers never finish is closed after the idle timeout")
    func slowHeaders() async throws {
        let harness = try await APIHarness.make()
        var options = HTTPOptions()
        options.idleTimeout = .seconds(1)
        try await live(harness, options: options) { _, port in
            let started = ContinuousClock.now
            let connection = try RawHTTPConnection(port: port)
            try connection.send("GET /health/live HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            let answer = await connection.readUntilClosed(timeout: 30)
            #expect(answer != nil, "the connection was still open after 30 s")
            // Closed by the 1 s timeout (the machine may be busy), not left open as before.
            #expect(ContinuousClock.now - started < .seconds(20))
            // (The test client's own idle connection was closed too: ask on a new one.)
            let fresh = try RawHTTPConnection(port: port)
            try fresh.send("GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            #expect(await fresh.readUntilClosed(timeout: 30)?.hasPrefix("HTTP/1.1 200") == true)
        }
        await harness.shutdown()
    }

    @Test("a client that hangs up stops its statement on the server; a statement over its budget answers 503 timeout")
    func hangUpAndTimeout() async throws {
        let harness = try await APIHarness.make()
        var options = HTTPOptions()
        options.apiStatementTimeout = .seconds(30)
        let monitor = PostgresPool(.init(connectionString: harness.databases.regions[.uk]!, maximumConnections: 1))
        try await live(harness, options: options) { _, port in
            let connection = try RawHTTPConnection(port: port)
            try connection.send("GET /v1/test/sleep HTTP/1.1\r\nHost: x\r\n\r\n")
            func sleeping() async throws -> Int {
                try await monitor.query(
                    "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query = 'SELECT pg_sleep(20)'"
                )[0].decode(Int.self, at: 0)
            }
            var seen = false
            for _ in 0..<50 where !seen {
                seen = try await sleeping() == 1
                if !seen { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(seen, "the statement never started")
            connection.close()
            let hungUp = ContinuousClock.now
            var remaining = 1
            // pg_sleep(20) would end by itself in 20 s: the statement must be gone well before.
            while remaining > 0, ContinuousClock.now - hungUp < .seconds(15) {
                try await Task.sleep(for: .milliseconds(100))
                remaining = try await sleeping()
            }
            #expect(remaining == 0, "the statement ran on after the client left")
        }
        options.apiStatementTimeout = .seconds(1)
        try await live(harness, options: options) { client, _ in
            let started = ContinuousClock.now
            let result = try await client.call(.get, "/v1/test/sleep", key: nil)
            #expect(result.status == .serviceUnavailable)
            #expect(result.errorCode == "timeout")
            #expect(ContinuousClock.now - started < .seconds(15), "stopped well before the statement's own 20 s")
        }
        await monitor.shutdown()
        await harness.shutdown()
    }

    @Test("the session cookie is Secure behind a trusted proxy that says https, and only then")
    func forwardedProto() async throws {
        let harness = try await APIHarness.make()
        for trusted in [true, false] {
            var options = HTTPOptions()
            if trusted { options.trustedProxies = ["127.0.0.1"] }
            try await live(harness, options: options) { client, _ in
                let cookies = try await client.execute(uri: "/ui/signin", method: .get, headers: [.init("X-Forwarded-Proto")!: "https"]) {
                    $0.headers[values: .setCookie]
                }
                let nonce = try #require(cookies.first { $0.hasPrefix("rapport_signin=") })
                #expect(nonce.contains("; Secure") == trusted, "\(nonce)")
            }
        }
        await harness.shutdown()
    }

    @Test("/metrics carries the database pools' series")
    func poolMetrics() async throws {
        _ = AdminApplication.metricsRegistry
        let harness = try await APIHarness.make()
        try await live(harness) { client, _ in
            _ = try await client.call(.get, "/v1/tenants", key: harness.operatorKey)
            let text = try await client.execute(uri: "/metrics", method: .get) { String(buffer: $0.body) }
            #expect(text.contains("rapport_postgres_pool_connections"), "\(text.prefix(500))")
            #expect(text.contains("rapport_postgres_pool_wait_duration"))
        }
        await harness.shutdown()
    }
}

@Suite("A tenant's share of a region pool")
struct TenantShareTests {
    @Test("a tenant over its share waits, then fails with unavailable; another tenant goes through at once")
    func share() async throws {
        let share = TenantShare(limit: 2, timeout: .milliseconds(300))
        let busy = UUID(), other = UUID()
        let release = AsyncStream<Void>.makeStream()
        let holders = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<2 {
                    group.addTask { try await share.withShare(busy) { for await _ in release.stream { break } } }
                }
                try await group.waitForAll()
            }
        }
        while share.inUse(busy) < 2 { try await Task.sleep(for: .milliseconds(5)) }
        let started = ContinuousClock.now
        await #expect(throws: ServiceError.self) { try await share.withShare(busy) {} }
        #expect(ContinuousClock.now - started >= .milliseconds(250))
        // Another tenant gets its connection while the busy one still holds all of its share.
        try await share.withShare(other) { #expect(share.inUse(busy) == 2) }
        // A waiter gets the slot a holder hands back.
        let waiter = Task { try await share.withShare(busy) { 42 } }
        try await Task.sleep(for: .milliseconds(50))
        release.continuation.yield()
        #expect(try await waiter.value == 42)
        release.continuation.finish()
        try await holders.value
        #expect(share.inUse(busy) == 0)
    }

    @Test("a statement over its budget is stopped by the server; an abandoned one is cancelled")
    func budgetAndAbandonment() async throws {
        let url = try await TestDatabases.shared.createDatabase(prefix: "budget")
        let database = RegionDatabase(region: .uk, pool: PostgresPool(.init(connectionString: url, maximumConnections: 2)))
        try await database.pool.query(
            "DO $$ BEGIN CREATE ROLE rapport_region_app NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$")
        let started = ContinuousClock.now
        do {
            try await StatementBudget.$current.withValue(.milliseconds(300)) {
                try await database.withTenant(UUID()) { _ = try await $0.query("SELECT pg_sleep(120)") }
            }
            Issue.record("the statement was not stopped")
        } catch let error as PostgresError {
            #expect(error.isQueryCanceled, "\(error)")
        }
        // Stopped long before its 120 s (the margin is for a busy machine).
        #expect(ContinuousClock.now - started < .seconds(60))
        let signal = AbandonmentSignal()
        let abandoned = ContinuousClock.now
        Task {
            try await Task.sleep(for: .milliseconds(300))
            signal.fire()
        }
        await #expect(throws: CancellationError.self) {
            try await AbandonmentSignal.$current.withValue(signal) {
                try await database.withTenant(UUID()) { _ = try await $0.query("SELECT pg_sleep(120)") }
            }
        }
        #expect(ContinuousClock.now - abandoned < .seconds(60))
        // The connection is usable afterwards.
        #expect(try await database.withTenant(UUID()) { try await $0.query("SELECT 1")[0].decode(Int.self, at: 0) } == 1)
        await database.pool.shutdown()
    }
}
