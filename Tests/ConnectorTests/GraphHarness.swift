import AdminAPI
import Connectors
import Engagement
import FakeGraph
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Postgres
import Platform
import TestSupport
import Testing
import Worker

/// Databases, the real router, a live fake Graph server, and the production Graph collector pointed at it.
struct GraphHarness {
    let databases: DatabaseSet
    let services: AppServices
    let operatorKey: String
    let server: FakeGraphServer
    let collector: GraphCollector
    /// What runs export to (the Dataverse tests give a connector pointed at the fake Dataverse).
    var exporters: [any ResultExporter] = []

    var platform: Platform { services.platform }
    var store: FakeGraphStore { server.store }
    var tenant: FakeTenant { store.tenant }

    static let secret = [UInt8](repeating: 9, count: 32)
    static let clientID = "3f8e6a2c-1b4d-4e5f-9a8b-7c6d5e4f3a2b"
    static let clientSecret = "s3cr3t~Graph.Client_Secret"

    static func make(
        _ parameters: FakeTenantGenerator.Parameters = .init(), configure: (inout GraphSettings) -> Void = { _ in },
        platform configurePlatform: (inout Platform) -> Void = { _ in }
    ) async throws -> GraphHarness {
        let control = try await TestDatabases.shared.createDatabase(prefix: "control")
        var regions: [Region: String] = [:]
        for region in Region.allCases {
            regions[region] = try await TestDatabases.shared.createDatabase(prefix: region.rawValue)
        }
        let databases = DatabaseSet(control: control, regions: regions)
        _ = try await SchemaMigrations(sqlFolder: sqlFolder).migrateAll(databases)
        let generated = FakeTenantGenerator.generate(parameters)
        let store = FakeGraphStore(
            tenant: generated, credentials: .init(tenantID: generated.entraTenantID, clientID: clientID, clientSecret: clientSecret))
        let server = FakeGraphServer(store: store)
        try await server.start()
        let controlStore = TenantStore(pool: PostgresPool(.init(connectionString: control, maximumConnections: 6)))
        var platform = Platform(
            control: controlStore, regions: RegionDatabases(databases, maximumConnections: 6), serviceSecret: secret,
            publicBaseURL: "https://rapport.test")
        var graph = GraphSettings(
            loginURL: server.loginURL, apiURL: server.apiURL, maximumConcurrency: 8, pageSize: 7, maximumRetries: 6,
            backoffBase: .milliseconds(10), backoffCap: .seconds(5))
        configure(&graph)
        platform.graph = graph
        configurePlatform(&platform)
        let services = AppServices(platform: platform, maximumBodyBytes: 1 << 20)
        let (_, key) = try await controlStore.createOperator(name: "operator-\(UUID().uuidString.prefix(8))")
        return GraphHarness(
            databases: databases, services: services, operatorKey: key.plaintext, server: server,
            collector: GraphCollector(platform: platform, logger: .init(label: "graph-test")))
    }

    static var sqlFolder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("sql")
    }

    func test(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = Application(router: AdminApplication.buildRouter(services))
        try await app.test(.router) { client in try await body(client) }
    }

    func worker(_ id: String = "graph-worker", lease: TimeInterval = 60) -> RegionWorker {
        RegionWorker(
            platform: platform, configuration: .init(region: .uk, workerID: id, lease: lease), collectors: [collector], exporters: exporters,
            logger: .init(label: id))
    }

    func shutdown() async {
        try? await collector.shutdown()
        await server.stop()
        await services.platform.control.pool.shutdown()
        await services.platform.regions.shutdown()
    }

    // MARK: - Signals

    /// Every stored signal of an environment, as comparable text without the environment id.
    func signals(_ environment: UUID, tenant: UUID) async throws -> (emails: [String], meetings: [String]) {
        try await platform.regions.database(for: .uk).withTenant(tenant) { connection in
            let emails = try await connection.query(
                """
                SELECT concat_ws('|', message_key, account_id, extract(epoch FROM sent_at)::bigint, to_account, internal_people, account_people,
                                 replies_to, conversation, domains)
                FROM email_signal WHERE environment_id = \(environment) ORDER BY 1
                """
            ).decode(String.self)
            let meetings = try await connection.query(
                """
                SELECT concat_ws('|', occurrence_key, account_id, extract(epoch FROM starts_at)::bigint, extract(epoch FROM ends_at)::bigint,
                                 to_account, internal_people, account_people, domains)
                FROM meeting_signal WHERE environment_id = \(environment) ORDER BY 1
                """
            ).decode(String.self)
            return (emails, meetings)
        }
    }

    /// Imports records straight into an environment (the reference the Graph run must equal), with the collector's window.
    func importDirectly(_ records: [ActivityRecord], into environmentID: UUID, tenant: UUID) async throws {
        let environment = try await platform.control.environment(tenant: tenant, id: environmentID)
        var scope = try await platform.activityScope(for: environment)
        scope.windowEnd = platform.now().addingTimeInterval(Double(platform.graph.calendarHorizonDays) * 86_400)
        _ = try await platform.scope(for: environment).importer.importRecords(scope) { consume in
            for record in records { try await consume(record) }
        }
    }

    /// How many meeting signals the environment holds for an occurrence.
    func meetingSignals(of occurrence: FakeOccurrence, environment: UUID, tenant: UUID) async throws -> Int {
        let key = platform.hasher(for: tenant).key("occurrence:" + ActivityClassifier.occurrenceKey(of: FakeTenant.record(occurrence)))
        return try await platform.regions.database(for: .uk).withTenant(tenant) { connection in
            try await connection.query(
                "SELECT count(*) FROM meeting_signal WHERE environment_id = \(environment) AND occurrence_key = \(key)"
            )[0].decode(Int.self, at: 0)
        }
    }

    /// Deletes an environment's signals (before importing the reference again).
    func clearSignals(_ environment: UUID, tenant: UUID) async throws {
        _ = try await platform.regions.database(for: .uk).withTenant(tenant) { connection in
            try await connection.execute("DELETE FROM email_signal WHERE environment_id = \(environment)")
            try await connection.execute("DELETE FROM meeting_signal WHERE environment_id = \(environment)")
        }
    }
}

/// A JSON response read back.
struct JSONResult {
    let status: HTTPResponse.Status
    let object: [String: Any]
    let text: String

    subscript(key: String) -> Any? { object[key] }
    var errorField: String? { (object["error"] as? [String: Any])?["field"] as? String }
}

extension TestClientProtocol {
    func call(_ method: HTTPRequest.Method, _ uri: String, key: String?, json: Any? = nil) async throws -> JSONResult {
        var headers: HTTPFields = [:]
        if let key { headers[.authorization] = "Bearer \(key)" }
        var body: ByteBuffer?
        if let json {
            headers[.contentType] = "application/json"
            body = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json))
        }
        return try await execute(uri: uri, method: method, headers: headers, body: body) { response in
            let text = String(buffer: response.body)
            let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
            return JSONResult(status: response.status, object: object, text: text)
        }
    }

    func page(_ uri: String) async throws -> (status: HTTPResponse.Status, text: String) {
        try await execute(uri: uri, method: .get) { ($0.status, String(buffer: $0.body)) }
    }
}
