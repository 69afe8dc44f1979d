import AdminAPI
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Platform
import TestSupport
import Testing

/// The route groups' contexts: the tenant and the environment resolved once, with the answers of before.
@Suite("Route contexts: tenant and environment groups, page errors")
struct RouteContextTests {
    @Test("an environment of your tenant without a role is 403 on every route under it; another tenant's or a malformed id is 404")
    func environmentGroup() async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            let fixture = try await LifecycleFixture.create(client, harness: harness, regions: [.uk, .eu])
            // The viewer holds a role on uk only.
            for path in ["", "/results", "/segments", "/runs", "/dataverse", "/prerequisites"] {
                let eu = try await client.call(.get, fixture.base(.eu) + path, key: fixture.viewerKey)
                #expect(eu.status == .forbidden, "\(path): \(eu.text)")
                #expect(eu.errorCode == "forbidden")
                let unknown = try await client.call(
                    .get, "/v1/tenants/\(fixture.tenant.id)/environments/\(UUID().uuidString)\(path)", key: fixture.viewerKey)
                #expect(unknown.status == .notFound, "\(path): \(unknown.text)")
                let malformed = try await client.call(.get, "/v1/tenants/\(fixture.tenant.id)/environments/nope\(path)", key: fixture.viewerKey)
                #expect(malformed.errorCode == "not_found", "\(path): \(malformed.text)")
            }
            #expect(try await client.call(.get, fixture.base(.uk) + "/segments", key: fixture.viewerKey).status == .ok)
            let other = try await client.call(.get, "/v1/tenants/\(UUID().uuidString)/environments", key: fixture.viewerKey)
            #expect(other.status == .notFound)
            #expect(try await client.call(.get, "/v1/tenants/nope", key: fixture.viewerKey).errorCode == "not_found")
            // An operator belongs to no tenant: not found inside one, but it bootstraps owners.
            #expect(try await client.call(.get, "/v1/tenants/\(fixture.tenant.id)", key: harness.operatorKey).status == .notFound)
        }
        await harness.shutdown()
    }

    @Test("a database failure behind a page is an HTML 500 without its text, not sign-in and not 404")
    func pageDatabaseFailure() async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            let fixture = try await LifecycleFixture.create(client, harness: harness, regions: [.uk])
            let cookie = try await PageClient(client: client).signIn(fixture.adminKey)
            try await harness.services.platform.control.pool.query("ALTER TABLE environment RENAME COLUMN name TO secret_column_name")
            for path in ["/ui", "/ui/environments/\(fixture.tenant.environments[.uk]!.lowercased())/results"] {
                let page = try await client.execute(uri: path, method: .get, headers: [.cookie: cookie]) {
                    ($0.status, $0.headers[.contentType], String(buffer: $0.body))
                }
                #expect(page.0 == .internalServerError, "\(path): \(page.0)")
                #expect(page.1?.hasPrefix("text/html") == true)
                #expect(!page.2.contains("secret_column_name") && !page.2.contains("environment"), "\(page.2)")
            }
        }
        await harness.shutdown()
    }
}
