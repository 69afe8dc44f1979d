import FakeGraph
import Foundation
import HummingbirdTesting
import Platform
import Testing

/// A tenant set up through the API for Graph: licence, two uk environments with customer data
/// (one collects from Graph, the other is the reference filled by direct import), the directory,
/// the app registration and saved enrichments.
struct GraphTenantFixture {
    let tenantID: UUID
    let ownerKey: String
    let o365Key: String
    let adminKey: String
    let viewerKey: String
    let environment: UUID
    let reference: UUID
    /// Accounts 0 ..< accountCount were imported, with ids `accountIDs(index)`, each with contact `c1@account{index}.example`.
    let accountCount: Int

    /// The uk environments' Dataverse organization (United Kingdom: crm11).
    static let dataverse = (url: "https://contoso.crm11.dynamics.com", organizationID: UUID(uuidString: "0f6f7d4e-5a8b-4c3d-9e2f-1a0b9c8d7e6f")!)

    var uri: String { "/v1/tenants/\(tenantID.uuidString.lowercased())" }
    var base: String { "\(uri)/environments/\(environment.uuidString.lowercased())" }

    static func create(
        _ client: any TestClientProtocol, harness: GraphHarness, secret: String = GraphHarness.clientSecret, register: Bool = true,
        grant: Bool = true, groups: [String] = ["Sales"], dataverse: (url: String, organizationID: UUID) = GraphTenantFixture.dataverse,
        accountIDs: (Int) -> String = { "A\($0)" }
    ) async throws -> GraphTenantFixture {
        let fake = harness.tenant
        let created = try await client.call(.post, "/v1/tenants", key: harness.operatorKey, json: ["name": "Contoso \(UUID().uuidString.prefix(6))", "email_domains": [fake.domain]])
        #expect(created.status == .created, "\(created.text)")
        let tenant = created["id"] as! String
        let uri = "/v1/tenants/\(tenant)"
        let boot = try await client.call(.post, "\(uri)/bootstrap", key: harness.operatorKey, json: ["display_name": "Owner", "email": "owner@\(fake.domain)"])
        let ownerKey = boot["secret"] as! String
        var environments: [String] = []
        for name in ["Graph", "Reference"] {
            let environment = try await client.call(.post, "\(uri)/environments", key: ownerKey, json: ["name": name, "region": "uk"])
            #expect(environment.status == .created, "\(environment.text)")
            environments.append(environment["id"] as! String)
        }
        func key(_ display: String, _ email: String, role: String, environment: String? = nil, notify: String? = nil) async throws -> String {
            let principal = try await client.call(.post, "\(uri)/principals", key: ownerKey, json: ["display_name": display, "email": email])
            var assignment: [String: Any] = ["principal_id": principal["id"] as! String, "role": role]
            if let environment { assignment["environment_id"] = environment }
            if let notify { assignment["notify_email"] = notify }
            let assigned = try await client.call(.post, "\(uri)/role-assignments", key: ownerKey, json: assignment)
            #expect(assigned.status == .created, "\(assigned.text)")
            return try await client.call(.post, "\(uri)/keys", key: ownerKey, json: ["principal_id": principal["id"] as! String, "name": display])["secret"] as! String
        }
        let o365Key = try await key("IT", "it@\(fake.domain)", role: "o365_admin", notify: "it@\(fake.domain)")
        let adminKey = try await key("Ada", "ada@\(fake.domain)", role: "admin", environment: environments[0])
        let viewerKey = try await key("Vic", "vic@\(fake.domain)", role: "viewer", environment: environments[0])
        _ = try await client.call(.put, "\(uri)/licence", key: ownerKey, json: ["status": "active", "seats": 100, "expires_on": "2099-12-31"])
        // Accounts account0.example … up to the highest one the generated mail and meetings name.
        var addresses: [String] = []
        for message in fake.messages { addresses += [message.from] + message.to + message.cc + message.bcc }
        for occurrence in fake.occurrences { addresses += [occurrence.organizer] + occurrence.attendees.map(\.address) }
        let accountCount = 1 + (addresses.compactMap { address -> Int? in
            guard let range = address.range(of: "@account") ?? address.range(of: ".account") else { return nil }
            return Int(address[range.upperBound...].prefix { $0.isNumber })
        }.max() ?? 0)
        for environment in environments {
            let base = "\(uri)/environments/\(environment)"
            let attached = try await client.call(
                .put, "\(base)/dataverse", key: ownerKey, json: ["organization_url": dataverse.url, "organization_id": dataverse.organizationID.uuidString])
            #expect(attached.status == .ok, "\(attached.text)")
            let accounts = (0..<max(1, accountCount)).map { ["id": accountIDs($0), "name": "Account \($0)", "domains": ["account\($0).example"]] as [String: Any] }
            let contacts = (0..<max(1, accountCount)).map { ["id": "C\($0)", "account_id": accountIDs($0), "emails": ["emailaddress1": "c1@account\($0).example"]] as [String: Any] }
            #expect(try await client.call(.post, "\(base)/customer-data/accounts", key: ownerKey, json: ["accounts": accounts]).status == .ok)
            #expect(try await client.call(.post, "\(base)/customer-data/contacts", key: ownerKey, json: ["contacts": contacts]).status == .ok)
        }
        // The stored directory (what saving checks against): the guest is not in it.
        let staff = fake.users.filter { $0.address.hasSuffix("@" + fake.domain) }
        let known = Set(staff.map(\.id) + fake.groups.map(\.id))
        let users: [[String: Any]] = staff.map { user in
            var entry: [String: Any] = ["id": user.id, "user_principal_name": user.userPrincipalName, "display_name": user.displayName]
            if let mail = user.mail { entry["mail"] = mail }
            return entry
        }
        let storedGroups: [[String: Any]] = fake.groups.map { group in
            var entry: [String: Any] = ["id": group.id, "display_name": group.displayName, "members": group.members.filter(known.contains)]
            if let mail = group.mail { entry["mail"] = mail }
            return entry
        }
        let directory = try await client.call(.put, "\(uri)/directory", key: ownerKey, json: ["users": users, "groups": storedGroups])
        #expect(directory.status == .ok, "\(directory.text)")
        if register {
            let registration = try await client.call(
                .put, "\(uri)/graph", key: ownerKey,
                json: ["entra_tenant_id": fake.entraTenantID, "client_id": GraphHarness.clientID, "client_secret": secret])
            #expect(registration.status == .ok, "\(registration.text)")
        }
        for environment in environments {
            let saved = try await client.call(
                .put, "\(uri)/environments/\(environment)/enrichment", key: ownerKey,
                json: ["name": "Engagement", "addresses": [String](), "groups": groups, "agreed": true, "email_field": "emailaddress1"])
            #expect(saved.status == .ok, "\(saved.text)")
        }
        if grant {
            #expect(try await client.call(.post, "\(uri)/consent", key: o365Key, json: ["decision": "grant"]).status == .ok)
        }
        return GraphTenantFixture(
            tenantID: UUID(uuidString: tenant)!, ownerKey: ownerKey, o365Key: o365Key, adminKey: adminKey, viewerKey: viewerKey,
            environment: UUID(uuidString: environments[0])!, reference: UUID(uuidString: environments[1])!, accountCount: max(1, accountCount))
    }

    /// Queues "Run now" for the Graph environment and returns its id.
    func runNow(_ client: any TestClientProtocol) async throws -> UUID {
        let queued = try await client.call(.post, "\(base)/runs", key: adminKey)
        #expect(queued.status == .accepted, "\(queued.text)")
        return UUID(uuidString: queued["id"] as! String)!
    }
}
