import AdminAPI
import Engagement
import Foundation
import HummingbirdTesting
import Postgres
import Platform
import Testing

@Suite("Control plane walk-through")
struct WalkThroughTests {
    @Test("operator to passing prerequisites: tenant, environments in every region, Dataverse, licence, admin key, data")
    func walkThrough() async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            let tenant = try await TenantFixture.create(client, harness: harness, name: "Contoso")
            let eu = tenant.environments[.eu]!
            let base = "/v1/tenants/\(tenant.id)"

            // An admin of the eu environment, with a key of their own.
            let ada = try await client.call(.post, "\(base)/principals", key: tenant.ownerKey, json: ["display_name": "Ada", "email": "ada@contoso.example"])
            #expect(ada.status == .created)
            let adaID = ada["id"] as! String
            let role = try await client.call(.post, "\(base)/role-assignments", key: tenant.ownerKey, json: ["principal_id": adaID, "role": "admin", "environment_id": eu])
            #expect(role.status == .created, "\(role.text)")
            let adaKey = try await client.call(.post, "\(base)/keys", key: tenant.ownerKey, json: ["principal_id": adaID, "name": "ada laptop"])
            #expect(adaKey.status == .created)
            let adaSecret = adaKey["secret"] as! String

            // Before anything is set up, every check but the role fails, each with a remedy.
            let before = try await client.call(.get, "\(base)/environments/\(eu)/prerequisites", key: adaSecret)
            #expect(before.status == .ok)
            let checks = before["checks"] as! [[String: Any]]
            #expect(checks.map { $0["id"] as! String } == ["office365_licence", "business_accounts", "dataverse_attached", "admin_role", "tenant_consent"])
            let failed = checks.filter { $0["status"] as? String == "failed" }.map { $0["id"] as! String }
            #expect(failed == ["office365_licence", "business_accounts", "dataverse_attached", "tenant_consent"])
            #expect(checks.filter { $0["status"] as? String == "failed" }.allSatisfy { !(($0["remedy"] as? String) ?? "").isEmpty })
            #expect(before["passed"] as? Bool == false)

            // Set everything up.
            let licence = try await client.call(.put, "\(base)/licence", key: tenant.ownerKey, json: ["status": "active", "seats": 250, "expires_on": "2027-06-30"])
            #expect(licence.status == .ok, "\(licence.text)")
            #expect(licence["active"] as? Bool == true)
            let dataverse = try await client.call(
                .put, "\(base)/environments/\(eu)/dataverse", key: adaSecret,
                json: ["organization_url": "https://contoso.crm4.dynamics.com", "organization_id": UUID().uuidString])
            #expect(dataverse.status == .ok, "\(dataverse.text)")
            let admin = try await client.call(.post, "\(base)/principals", key: tenant.ownerKey, json: ["display_name": "M365 admin", "email": "it@contoso.example"])
            let o365 = try await client.call(
                .post, "\(base)/role-assignments", key: tenant.ownerKey,
                json: ["principal_id": admin["id"] as! String, "role": "o365_admin", "notify_email": "it@contoso.example"])
            #expect(o365.status == .created, "\(o365.text)")
            let environment = try await harness.services.platform.control.environment(tenant: UUID(uuidString: tenant.id)!, id: UUID(uuidString: eu)!)
            let customerData = try harness.services.platform.scope(for: environment).customerData
            _ = try await customerData.replace(
                accounts: [BusinessAccount(id: "A1", name: "Fabrikam", domains: ["fabrikam.example"])],
                contacts: [Contact(id: "C1", accountID: "A1", emailsByColumn: ["emailaddress1": "jo@fabrikam.example"])])

            let after = try await client.call(.get, "\(base)/environments/\(eu)/prerequisites", key: adaSecret)
            #expect(after["passed"] as? Bool == true, "\(after.text)")

            // The licence check follows the clock: past expiry it fails again.
            harness.clock.advance(86_400 * 400)
            let expired = try await client.call(.get, "\(base)/environments/\(eu)/prerequisites", key: adaSecret)
            let licenceCheck = (expired["checks"] as! [[String: Any]]).first { $0["id"] as? String == "office365_licence" }!
            #expect(licenceCheck["status"] as? String == "failed")
            #expect((licenceCheck["detail"] as? String)?.contains("expired") == true)

            // A viewer sees the checklist with the admin role failing.
            let viewer = try await client.call(.post, "\(base)/principals", key: tenant.ownerKey, json: ["display_name": "Vic"])
            _ = try await client.call(.post, "\(base)/role-assignments", key: tenant.ownerKey, json: ["principal_id": viewer["id"] as! String, "role": "viewer", "environment_id": eu])
            let vicKey = try await client.call(.post, "\(base)/keys", key: tenant.ownerKey, json: ["principal_id": viewer["id"] as! String, "name": "vic"])
            let asViewer = try await client.call(.get, "\(base)/environments/\(eu)/prerequisites", key: vicKey["secret"] as? String)
            let roleCheck = (asViewer["checks"] as! [[String: Any]]).first { $0["id"] as? String == "admin_role" }!
            #expect(roleCheck["status"] as? String == "failed")
        }
        await harness.shutdown()
    }

    @Test("Dataverse attach, replace and detach keep their history; the region cannot change")
    func dataverseAndRegion() async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            let tenant = try await TenantFixture.create(client, harness: harness, name: "Northwind")
            let uk = tenant.environments[.uk]!
            let path = "/v1/tenants/\(tenant.id)/environments/\(uk)"
            let first = UUID().uuidString
            let second = UUID().uuidString
            _ = try await client.call(.put, "\(path)/dataverse", key: tenant.ownerKey, json: ["organization_url": "https://a.crm11.dynamics.com", "organization_id": first])
            _ = try await client.call(.put, "\(path)/dataverse", key: tenant.ownerKey, json: ["organization_url": "https://b.crm11.dynamics.com", "organization_id": second])
            let view = try await client.call(.get, "\(path)/dataverse", key: tenant.ownerKey)
            let current = view["current"] as! [String: Any]
            #expect((current["organization_id"] as! String).lowercased() == second.lowercased())
            let history = view["history"] as! [[String: Any]]
            #expect(history.count == 2)
            #expect(history[1]["detached_at"] is String)
            let detach = try await client.call(.delete, "\(path)/dataverse", key: tenant.ownerKey)
            #expect(detach.status == .noContent)
            let again = try await client.call(.delete, "\(path)/dataverse", key: tenant.ownerKey)
            #expect(again.status == .notFound)
            let afterDetach = try await client.call(.get, "\(path)/dataverse", key: tenant.ownerKey)
            #expect(afterDetach["current"] == nil || afterDetach["current"] is NSNull)
            #expect((afterDetach["history"] as! [Any]).count == 2)

            let renamed = try await client.call(.patch, path, key: tenant.ownerKey, json: ["name": "Northwind UK sales"])
            #expect(renamed["name"] as? String == "Northwind UK sales")
            #expect(renamed["region"] as? String == "uk")
            let moved = try await client.call(.patch, path, key: tenant.ownerKey, json: ["name": "x", "region": "eu"])
            #expect(moved.status == .badRequest)
            #expect(moved.errorField == "region")
            // The database refuses too, whatever the caller.
            let error = await #expect(throws: PostgresError.self) {
                try await harness.services.platform.control.pool.query("UPDATE environment SET region = 'na' WHERE environment_id = \(UUID(uuidString: uk)!)")
            }
            #expect(error?.sqlState == "23514")

            let audit = try await client.call(.get, "/v1/tenants/\(tenant.id)/audit?limit=500", key: tenant.ownerKey)
            let actions = (audit["events"] as! [[String: Any]]).map { $0["action"] as! String }
            for action in ["tenant.create", "principal.create", "role.assign", "key.create", "environment.create", "dataverse.attach", "dataverse.replace", "dataverse.detach", "environment.rename", "key.use"] {
                #expect(actions.contains(action), "missing \(action) in \(actions)")
            }
            let keyUse = (audit["events"] as! [[String: Any]]).first { $0["action"] as? String == "key.use" }!
            #expect(keyUse["key_id"] is String)
            #expect(keyUse["actor_principal_id"] as? String == tenant.ownerID)
        }
        await harness.shutdown()
    }

    @Test("the audit log pages with a cursor")
    func auditPaging() async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            let tenant = try await TenantFixture.create(client, harness: harness, name: "Pager")
            var seen: [Int] = []
            var after = 0
            while true {
                let page = try await client.call(.get, "/v1/tenants/\(tenant.id)/audit?after=\(after)&limit=2", key: tenant.ownerKey)
                let events = page["events"] as! [[String: Any]]
                seen += events.map { $0["id"] as! Int }
                guard let next = page["next_after"] as? Int else { break }
                after = next
            }
            #expect(seen == seen.sorted())
            #expect(Set(seen).count == seen.count)
            #expect(seen.count >= 6)
            let bad = try await client.call(.get, "/v1/tenants/\(tenant.id)/audit?limit=0", key: tenant.ownerKey)
            #expect(bad.status == .badRequest)
            #expect(bad.errorField == "limit")
        }
        await harness.shutdown()
    }
}
