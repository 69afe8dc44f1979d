import AdminAPI
import Engagement
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Postgres
import Platform
import Testing

@Suite("Authentication, tenant isolation and bad input")
struct SecurityTests {
    @Test("no key, a malformed key, a wrong secret and a revoked key get 401; too small a role gets 403")
    func authentication() async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            let tenant = try await TenantFixture.create(client, harness: harness, name: "Keyed")
            let uri = "/v1/tenants/\(tenant.id)"
            #expect(try await client.call(.get, uri, key: nil).status == .unauthorized)
            #expect(try await client.call(.get, uri, key: "not-a-key").status == .unauthorized)
            var forged = tenant.ownerKey
            let last = forged.removeLast()
            forged.append(last == "a" ? "b" : "a")
            let wrong = try await client.call(.get, uri, key: forged)
            #expect(wrong.status == .unauthorized)
            #expect(wrong.errorCode == "unauthenticated")

            let principal = try await client.call(.post, "\(uri)/principals", key: tenant.ownerKey, json: ["display_name": "Temp"])
            let created = try await client.call(.post, "\(uri)/keys", key: tenant.ownerKey, json: ["principal_id": principal["id"] as! String, "name": "temp"])
            let secret = created["secret"] as! String
            let keyID = (created["key"] as! [String: Any])["id"] as! String
            #expect(try await client.call(.get, uri, key: secret).status == .ok)
            #expect(try await client.call(.delete, "\(uri)/keys/\(keyID)", key: tenant.ownerKey).status == .noContent)
            #expect(try await client.call(.get, uri, key: secret).status == .unauthorized)

            // A viewer may read an environment but not rename it or create one.
            let eu = tenant.environments[.eu]!
            let viewer = try await client.call(.post, "\(uri)/principals", key: tenant.ownerKey, json: ["display_name": "Viewer"])
            _ = try await client.call(.post, "\(uri)/role-assignments", key: tenant.ownerKey, json: ["principal_id": viewer["id"] as! String, "role": "viewer", "environment_id": eu])
            let viewerKey = try await client.call(.post, "\(uri)/keys", key: tenant.ownerKey, json: ["principal_id": viewer["id"] as! String, "name": "v"])["secret"] as! String
            #expect(try await client.call(.get, "\(uri)/environments/\(eu)", key: viewerKey).status == .ok)
            let rename = try await client.call(.patch, "\(uri)/environments/\(eu)", key: viewerKey, json: ["name": "mine"])
            #expect(rename.status == .forbidden)
            #expect(rename.errorCode == "forbidden")
            #expect(try await client.call(.post, "\(uri)/environments", key: viewerKey, json: ["name": "x", "region": "uk"]).status == .forbidden)
            // The viewer lists only the environments it holds a role on.
            let listed = try await client.call(.get, "\(uri)/environments", key: viewerKey)
            #expect((listed["environments"] as! [[String: Any]]).map { $0["id"] as! String } == [eu])
            // Tenant keys cannot use operator routes.
            #expect(try await client.call(.get, "/v1/tenants", key: tenant.ownerKey).status == .forbidden)
        }
        await harness.shutdown()
    }

    @Test("every route of tenant A called by A's owner with tenant B's ids answers 404")
    func crossTenantWalk() async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            let a = try await TenantFixture.create(client, harness: harness, name: "Alpha")
            let b = try await TenantFixture.create(client, harness: harness, name: "Beta")
            let bPrincipal = try await client.call(.post, "/v1/tenants/\(b.id)/principals", key: b.ownerKey, json: ["display_name": "Bee"])
            let bKey = try await client.call(.post, "/v1/tenants/\(b.id)/keys", key: b.ownerKey, json: ["principal_id": bPrincipal["id"] as! String, "name": "bee"])
            let bAssignment = try await client.call(
                .post, "/v1/tenants/\(b.id)/role-assignments", key: b.ownerKey,
                json: ["principal_id": bPrincipal["id"] as! String, "role": "viewer", "environment_id": b.environments[.uk]!])
            let ids = [
                "tenant": b.id, "environment": b.environments[.uk]!, "key": (bKey["key"] as! [String: Any])["id"] as! String,
                "assignment": bAssignment["id"] as! String, "account": "A1", "run": UUID().uuidString, "segment": UUID().uuidString, "measure": UUID().uuidString,
            ]
            let router = AdminApplication.buildRouter(harness.services)
            var walked = 0
            for route in router.routes {
                let path = route.path.description
                guard path.hasPrefix("/v1/tenants/{tenant}"), !path.hasSuffix("/bootstrap") else { continue }
                var uri = path
                for (name, value) in ids { uri = uri.replacingOccurrences(of: "{\(name)}", with: value) }
                #expect(!uri.contains("{"), "unfilled parameter in \(uri)")
                let json: [String: Any]? = [.post, .put, .patch].contains(route.method) ? ["name": "x"] : nil
                let result = try await client.call(route.method, uri, key: a.ownerKey, json: json)
                #expect(result.status == .notFound, "\(route.method) \(uri) answered \(result.status)")
                #expect(result.errorCode == "not_found")
                walked += 1
            }
            #expect(walked >= 20)
            // B's objects are untouched: the key still works, the assignment is still there.
            #expect(try await client.call(.get, "/v1/tenants/\(b.id)", key: bKey["secret"] as? String).status == .ok)
            let assignments = try await client.call(.get, "/v1/tenants/\(b.id)/role-assignments", key: b.ownerKey)
            #expect((assignments["role_assignments"] as! [Any]).count == 2)
            // A's ids in B's tenant path, and B's environment in A's tenant path, are 404 too.
            #expect(try await client.call(.get, "/v1/tenants/\(a.id)/environments/\(b.environments[.eu]!)", key: a.ownerKey).status == .notFound)
            #expect(try await client.call(.get, "/v1/tenants/not-a-uuid/environments", key: a.ownerKey).status == .notFound)
        }
        await harness.shutdown()
    }

    @Test("bad input gets 400 naming the field, one error shape, and nothing is written")
    func badInput() async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            let tenant = try await TenantFixture.create(client, harness: harness, name: "Strict")
            let uri = "/v1/tenants/\(tenant.id)"
            let eu = tenant.environments[.eu]!
            let auditBefore = try await client.call(.get, "\(uri)/audit?limit=500", key: tenant.ownerKey)
            let countBefore = (auditBefore["events"] as! [Any]).count

            let cases: [(HTTPRequest.Method, String, Any?, String?, String)] = [
                (.post, "\(uri)/environments", nil, "{\"name\": \"x\", ", "body"),
                (.post, "\(uri)/environments", nil, "[1, 2]", "body"),
                (.post, "\(uri)/environments", ["name": 42, "region": "uk"], nil, "name"),
                (.post, "\(uri)/environments", ["name": "x", "region": "uk", "colour": "red"], nil, "colour"),
                (.post, "\(uri)/environments", ["name": "x", "region": "mars"], nil, "region"),
                (.post, "\(uri)/environments", ["name": String(repeating: "n", count: 201), "region": "uk"], nil, "name"),
                (.post, "\(uri)/environments", ["name": "   ", "region": "uk"], nil, "name"),
                (.post, "\(uri)/environments", ["region": "uk"], nil, "name"),
                (.put, "\(uri)/environments/\(eu)/dataverse", ["organization_url": "http://contoso.crm.dynamics.com", "organization_id": UUID().uuidString], nil, "organization_url"),
                (.put, "\(uri)/environments/\(eu)/dataverse", ["organization_url": "https://contoso.crm.dynamics.com", "organization_id": "nope"], nil, "organization_id"),
                (.put, "\(uri)/licence", ["status": "active", "seats": 1.5, "expires_on": "2027-01-01"], nil, "seats"),
                (.put, "\(uri)/licence", ["status": "active", "seats": 5, "expires_on": "2027-02-30"], nil, "expires_on"),
                (.put, "\(uri)/licence", ["status": "gold", "seats": 5, "expires_on": "2027-01-01"], nil, "status"),
                (.post, "\(uri)/principals", ["display_name": "x", "email": "not an address"], nil, "email"),
                (.post, "\(uri)/role-assignments", ["principal_id": tenant.ownerID, "role": "admin"], nil, "environment_id"),
                (.post, "\(uri)/role-assignments", ["principal_id": tenant.ownerID, "role": "o365_admin"], nil, "notify_email"),
            ]
            for (method, path, json, raw, field) in cases {
                let result = try await client.call(method, path, key: tenant.ownerKey, json: json, raw: raw)
                #expect(result.status == .badRequest, "\(method) \(path) \(String(describing: json ?? raw)): \(result.status) \(result.text)")
                #expect(result.errorField == field, "\(result.text)")
                #expect(result.errorCode == "invalid")
                #expect((result.error?["message"] as? String)?.isEmpty == false)
            }
            let tenantCase = try await client.call(.post, "/v1/tenants", key: harness.operatorKey, json: ["name": "Y", "email_domains": ["good.example", "not a domain"]])
            #expect(tenantCase.status == .badRequest)
            #expect(tenantCase.errorField == "email_domains[1]")
            let noDomains = try await client.call(.post, "/v1/tenants", key: harness.operatorKey, json: ["name": "Y", "email_domains": []])
            #expect(noDomains.errorField == "email_domains")

            let huge = try await client.call(.post, "\(uri)/principals", key: tenant.ownerKey, json: ["display_name": String(repeating: "z", count: 70_000)])
            #expect(huge.status == .contentTooLarge)
            #expect(huge.errorCode == "body_too_large")

            let environments = try await client.call(.get, "\(uri)/environments", key: tenant.ownerKey)
            #expect((environments["environments"] as! [Any]).count == 3)
            let auditAfter = try await client.call(.get, "\(uri)/audit?limit=500", key: tenant.ownerKey)
            let written = (auditAfter["events"] as! [[String: Any]]).filter { $0["action"] as? String != "key.use" }.count
            #expect(written == (auditBefore["events"] as! [[String: Any]]).filter { $0["action"] as? String != "key.use" }.count)
            _ = countBefore
            #expect((try await client.call(.get, "\(uri)/licence", key: tenant.ownerKey)).status == .notFound)
        }
        await harness.shutdown()
    }

    @Test("a database failure answers 500 without its text")
    func databaseErrorsStayInside() async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            let tenant = try await TenantFixture.create(client, harness: harness, name: "Broken")
            try await harness.services.platform.control.pool.query("ALTER TABLE principal RENAME COLUMN display_name TO secret_column_name")
            let result = try await client.call(.get, "/v1/tenants/\(tenant.id)/principals", key: tenant.ownerKey)
            #expect(result.status == .internalServerError)
            #expect(result.errorCode == "internal")
            #expect(!result.text.contains("display_name"))
            #expect(!result.text.contains("secret_column_name"))
            #expect(!result.text.lowercased().contains("sql"))
            #expect(!result.text.contains("Postgres"))
        }
        await harness.shutdown()
    }

    @Test("keys are stored only as a hash and prefix; unknown routes get the error shape")
    func keyStorage() async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            let tenant = try await TenantFixture.create(client, harness: harness, name: "Hashed")
            let key = try #require(APIKey(parsing: tenant.ownerKey))
            let rows = try await harness.services.platform.control.pool.query("SELECT * FROM api_key WHERE prefix = \(key.prefix)")
            let row = try #require(rows.first)
            for column in rows.columns {
                if let text = row[column.name] {
                    #expect(!text.contains(key.secret), "column \(column.name) holds the secret")
                }
            }
            let listed = try await client.call(.get, "/v1/tenants/\(tenant.id)/keys", key: tenant.ownerKey)
            #expect(!listed.text.contains(key.secret))
            let unknown = try await client.call(.get, "/v1/nothing-here", key: tenant.ownerKey)
            #expect(unknown.status == .notFound)
        }
        await harness.shutdown()
    }

    @Test("a key's use is written at most once a minute: last_used_at and the key.use audit event")
    func keyUseIsRecordedOncePerMinute() async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            let tenant = try await TenantFixture.create(client, harness: harness, name: "Used")
            let key = try #require(APIKey(parsing: tenant.ownerKey))
            func lastUsed() async throws -> Date? {
                try await harness.services.platform.control.pool.query("SELECT last_used_at FROM api_key WHERE prefix = \(key.prefix)")[0]
                    .decode(Date?.self, at: 0)
            }
            func uses() async throws -> Int {
                try await harness.services.platform.control.pool.query("SELECT count(*) FROM audit_event WHERE action = 'key.use'")[0]
                    .decode(Int.self, at: 0)
            }
            #expect(try await client.call(.get, "/v1/tenants/\(tenant.id)", key: tenant.ownerKey).status == .ok)
            let first = try #require(try await lastUsed())
            let recorded = try await uses()
            #expect(recorded >= 1)
            // Within the minute: nothing written.
            harness.clock.advance(30)
            #expect(try await client.call(.get, "/v1/tenants/\(tenant.id)", key: tenant.ownerKey).status == .ok)
            #expect(try await lastUsed() == first)
            #expect(try await uses() == recorded)
            // After it: recorded again.
            harness.clock.advance(31)
            #expect(try await client.call(.get, "/v1/tenants/\(tenant.id)", key: tenant.ownerKey).status == .ok)
            #expect(try await lastUsed()! > first)
            #expect(try await uses() == recorded + 1)
        }
        await harness.shutdown()
    }

    @Test("key digests are compared in full")
    func keyMatching() {
        let key = APIKey.generate(.tenant)
        #expect(key.matches(key.hash))
        var altered = key.hash
        altered[altered.count - 1] ^= 1
        #expect(!key.matches(altered))
        #expect(!key.matches(Array(key.hash.prefix(16))))
        #expect(APIKey(parsing: key.plaintext) == key)
        #expect(APIKey(parsing: key.plaintext + "x") == nil)
    }
}
