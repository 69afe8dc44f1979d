import AdminAPI
import Engagement
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Postgres
import Platform
import TestSupport
import Testing

/// A migrated control database and three region databases, the real router, and an operator key.
struct APIHarness {
    let databases: DatabaseSet
    let services: AppServices
    let operatorKey: String
    /// The clock the services read; tests move it.
    let clock: TestClock

    static let secret = [UInt8](repeating: 7, count: 32)

    static func make() async throws -> APIHarness {
        let control = try await TestDatabases.shared.createDatabase(prefix: "control")
        var regions: [Region: String] = [:]
        for region in Region.allCases {
            regions[region] = try await TestDatabases.shared.createDatabase(prefix: region.rawValue)
        }
        let databases = DatabaseSet(control: control, regions: regions)
        _ = try await SchemaMigrations(sqlFolder: sqlFolder).migrateAll(databases)
        let clock = TestClock(Date(timeIntervalSince1970: 1_780_000_000))
        let store = TenantStore(pool: PostgresPool(.init(connectionString: control, maximumConnections: 4)), now: { clock.now })
        let services = AppServices(
            control: store, regions: RegionDatabases(databases, maximumConnections: 4), serviceSecret: secret,
            maximumBodyBytes: 64 * 1024, now: { clock.now })
        let (_, key) = try await store.createOperator(name: "operator-\(UUID().uuidString.prefix(8))")
        return APIHarness(databases: databases, services: services, operatorKey: key.plaintext, clock: clock)
    }

    static var sqlFolder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("sql")
    }

    /// Runs `body` against the real router.
    func test(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = Application(router: AdminApplication.buildRouter(services))
        try await app.test(.router) { client in try await body(client) }
    }

    func shutdown() async {
        await services.platform.control.pool.shutdown()
        await services.platform.regions.shutdown()
    }
}

/// A settable clock shared with the services under test.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date
    init(_ start: Date) { current = start }
    var now: Date { lock.withLock { current } }
    func advance(_ seconds: TimeInterval) { lock.withLock { current += seconds } }
}

/// A JSON response read back.
struct JSONResult {
    let status: HTTPResponse.Status
    let object: [String: Any]
    let text: String

    subscript(key: String) -> Any? { object[key] }
    var error: [String: Any]? { object["error"] as? [String: Any] }
    var errorField: String? { error?["field"] as? String }
    var errorCode: String? { error?["code"] as? String }
}

extension TestClientProtocol {
    /// Sends a request with an optional bearer key and JSON body, and parses the JSON answer.
    func call(
        _ method: HTTPRequest.Method, _ uri: String, key: String?, json: Any? = nil, raw: String? = nil
    ) async throws -> JSONResult {
        var headers: HTTPFields = [:]
        if let key { headers[.authorization] = "Bearer \(key)" }
        var body: ByteBuffer?
        if let json {
            headers[.contentType] = "application/json"
            body = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json))
        } else if let raw {
            headers[.contentType] = "application/json"
            body = ByteBuffer(string: raw)
        }
        return try await execute(uri: uri, method: method, headers: headers, body: body) { response in
            let text = String(buffer: response.body)
            let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
            return JSONResult(status: response.status, object: object, text: text)
        }
    }
}

/// A tenant set up through the API: owner key, environments per region, ids.
struct TenantFixture {
    let id: String
    let ownerKey: String
    let ownerID: String
    var environments: [Region: String]

    static func create(_ client: any TestClientProtocol, harness: APIHarness, name: String) async throws -> TenantFixture {
        let tenant = try await client.call(.post, "/v1/tenants", key: harness.operatorKey, json: ["name": name, "email_domains": ["\(name.lowercased()).example"]])
        #expect(tenant.status == .created, "\(tenant.text)")
        let id = tenant["id"] as! String
        let boot = try await client.call(.post, "/v1/tenants/\(id)/bootstrap", key: harness.operatorKey, json: ["display_name": "Owner of \(name)", "email": "owner@\(name.lowercased()).example"])
        #expect(boot.status == .created, "\(boot.text)")
        let ownerKey = boot["secret"] as! String
        let ownerID = (boot["principal"] as! [String: Any])["id"] as! String
        var environments: [Region: String] = [:]
        for region in Region.allCases {
            let environment = try await client.call(
                .post, "/v1/tenants/\(id)/environments", key: ownerKey, json: ["name": "\(name) \(region.rawValue)", "region": region.rawValue])
            #expect(environment.status == .created, "\(environment.text)")
            environments[region] = environment["id"] as? String
        }
        return TenantFixture(id: id, ownerKey: ownerKey, ownerID: ownerID, environments: environments)
    }
}
