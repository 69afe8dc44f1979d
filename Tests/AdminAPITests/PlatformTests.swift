import AdminAPI
import Engagement
import Foundation
import Hummingbird
import HummingbirdTesting
import Postgres
import Platform
import Testing

@Suite("OpenAPI, health, metrics, regions and row-level security")
struct PlatformTests {
    @Test("every served route is in the OpenAPI document and every documented path is served")
    func openAPIMatchesRouter() async throws {
        let harness = try await APIHarness.make()
        let router = AdminApplication.buildRouter(harness.services)
        // The web pages under /ui are HTML for people, not part of the API.
        let served = Set(router.routes.filter { !$0.path.description.hasPrefix("/ui") }.map { "\($0.method.rawValue.lowercased()) \($0.path.description)" })
        #expect(router.routes.contains { $0.path.description == "/ui/environments/{environment}/results" })
        try await harness.test { client in
            let document = try await client.call(.get, "/openapi.json", key: nil)
            #expect(document.status == .ok)
            #expect(document["openapi"] as? String == "3.1.0")
            let paths = document["paths"] as! [String: [String: Any]]
            var documented = Set<String>()
            for (path, item) in paths {
                for method in item.keys where method != "parameters" {
                    documented.insert("\(method) \(path)")
                }
            }
            #expect(served.subtracting(documented).isEmpty, "served but not documented: \(served.subtracting(documented).sorted())")
            #expect(documented.subtracting(served).isEmpty, "documented but not served: \(documented.subtracting(served).sorted())")
            // Every $ref points at a schema that exists.
            let schemas = ((document["components"] as! [String: Any])["schemas"] as! [String: Any]).keys
            let references = document.text.components(separatedBy: "#/components/schemas/").dropFirst().map { $0.prefix { $0 != "\"" && $0 != "/" } }
            #expect(references.count > 50, "the document's references were not found")
            for reference in references { #expect(schemas.contains(String(reference)), "dangling $ref \(reference)") }
            // The NDJSON record is described inline, as schemas/activity-record.schema.json says it.
            var file = try JSONSerialization.jsonObject(with: Data(contentsOf: APIHarness.sqlFolder.deletingLastPathComponent().appendingPathComponent("schemas/activity-record.schema.json"))) as! [String: Any]
            file["$id"] = nil
            file["$schema"] = nil
            let inline = try #require(((document["components"] as! [String: Any])["schemas"] as! [String: Any])["ActivityRecord"] as? [String: Any])
            func canonical(_ value: [String: Any]) throws -> String {
                String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self)
            }
            #expect(try canonical(inline).replacingOccurrences(of: "#/components/schemas/ActivityRecord/$defs/", with: "#/$defs/") == (try canonical(file)))
        }
        await harness.shutdown()
    }

    @Test("health, readiness and Prometheus metrics")
    func health() async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            #expect(try await client.call(.get, "/health/live", key: nil).status == .ok)
            let ready = try await client.call(.get, "/health/ready", key: nil)
            #expect(ready.status == .ok)
            #expect(ready["databases"] as? [String: String] == ["control": "ok", "uk": "ok", "eu": "ok", "na": "ok"])
            let metrics = try await client.execute(uri: "/metrics", method: .get) { String(buffer: $0.body) }
            #expect(metrics.contains("rapport_http_requests_total"))
            #expect(metrics.contains("rapport_postgres_pool_connections"))
        }
        // A region database that is gone makes the service not ready.
        try await harness.services.platform.regions.database(for: .na).pool.query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
        let broken = AppServices(
            control: harness.services.platform.control,
            regions: RegionDatabases(DatabaseSet(control: harness.databases.control, regions: harness.databases.regions.merging([.na: "host=/nonexistent dbname=x"]) { $1 })),
            serviceSecret: APIHarness.secret)
        let app = Application(router: AdminApplication.buildRouter(broken))
        try await app.test(.router) { client in
            let ready = try await client.call(.get, "/health/ready", key: nil)
            #expect(ready.status == .serviceUnavailable)
            #expect((ready["databases"] as? [String: String])?["na"] == "unreachable")
        }
        await harness.shutdown()
    }

    @Test("customer data lands in its environment's region database only")
    func regionRouting() async throws {
        let harness = try await APIHarness.make()
        let tenant = UUID()
        let store = harness.services.platform.control
        let root = Caller.localOperator(try await store.localOperator(named: "test"))
        _ = try await store.createTenant(name: "Routed \(tenant)", emailDomains: ["routed.example"], by: root)
        let created = try await store.listTenants().first { $0.name.hasPrefix("Routed") }!
        let eu = try await store.createEnvironment(tenant: created.id, name: "eu", region: .eu, profileType: .businessAccounts, by: root)
        _ = try await harness.services.platform.scope(for: eu).customerData.replace(
            accounts: [BusinessAccount(id: "A", name: "A", domains: ["a.example"])],
            contacts: [Contact(id: "C", accountID: "A", emailsByColumn: ["email": "c@a.example"])])
        for region in Region.allCases {
            let pool = try harness.services.platform.regions.database(for: region).pool
            let count = try await pool.query("SELECT count(*) FROM business_account WHERE tenant_id = \(created.id)")[0].decode(Int.self, at: 0)
            #expect(count == (region == .eu ? 1 : 0), "region \(region)")
        }
        await harness.shutdown()
    }

    @Test("row-level security: a query without a tenant filter sees only the transaction's tenant")
    func rowLevelSecurity() async throws {
        let harness = try await APIHarness.make()
        let database = try harness.services.platform.regions.database(for: .uk)
        let (a, b, environment) = (UUID(), UUID(), UUID())
        for (tenant, name) in [(a, "alpha"), (b, "beta")] {
            _ = try await CustomerDataStore(
                EnvironmentDatabase(database: database, tenant: tenant, environment: environment),
                hasher: AddressHasher(serviceSecret: APIHarness.secret, tenant: tenant)
            )
                .replace(
                    accounts: [BusinessAccount(id: "\(name)-1", name: name, domains: []), BusinessAccount(id: "\(name)-2", name: name, domains: [])],
                    contacts: [])
        }
        // The forgetful query: no tenant filter at all.
        let seenByA = try await database.withTenant(a) { try await $0.query("SELECT account_id FROM business_account ORDER BY account_id").decode(String.self) }
        #expect(seenByA == ["alpha-1", "alpha-2"])
        let seenByB = try await database.withTenant(b) { try await $0.query("SELECT count(*) FROM business_account")[0].decode(Int.self, at: 0) }
        #expect(seenByB == 2)
        // As the service role with no tenant set, nothing is visible.
        let unscoped = try await database.pool.withTransaction { connection in
            try await connection.query("SET LOCAL ROLE rapport_region_app")
            return try await connection.query("SELECT count(*) FROM business_account")[0].decode(Int.self, at: 0)
        }
        #expect(unscoped == 0)
        // Writing another tenant's row from A's transaction is refused.
        let error = await #expect(throws: PostgresError.self) {
            try await database.withTenant(a) { connection in
                try await connection.execute("INSERT INTO business_account (tenant_id, environment_id, account_id, name) VALUES (\(b), \(environment), 'sneaky', 'x')")
            }
        }
        #expect(error?.sqlState == "42501")
        // Nor can A's transaction change or delete B's rows.
        let deleted = try await database.withTenant(a) { try await $0.execute("DELETE FROM business_account WHERE tenant_id = \(b)") }
        #expect(deleted == 0)
        await harness.shutdown()
    }
}
