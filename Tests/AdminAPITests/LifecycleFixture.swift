import AdminAPI
import Engagement
import Foundation
import HummingbirdTesting
import Postgres
import Platform
import Testing

/// A tenant ready for an enrichment: licence, Dataverse, customer data, directory and an Office 365 administrator.
struct LifecycleFixture {
    let tenant: TenantFixture
    let adminKey: String
    let o365Key: String
    let viewerKey: String

    var tenantID: UUID { UUID(uuidString: tenant.id)! }
    /// The `crm{N}` label of an organization in each region's geography.
    static let dataverseLabel: [Region: String] = [.uk: "crm11", .eu: "crm4", .na: "crm"]

    func environmentID(_ region: Region) -> UUID { UUID(uuidString: tenant.environments[region]!)! }
    func base(_ region: Region) -> String { "/v1/tenants/\(tenant.id)/environments/\(tenant.environments[region]!)" }

    static func create(_ client: any TestClientProtocol, harness: APIHarness, name: String = "Contoso", regions: [Region] = [.uk, .eu]) async throws -> LifecycleFixture {
        let tenant = try await TenantFixture.create(client, harness: harness, name: name)
        let domain = "\(name.lowercased()).example"
        let uri = "/v1/tenants/\(tenant.id)"
        func key(_ display: String, _ email: String, role: String, environment: String? = nil, notify: String? = nil) async throws -> String {
            let principal = try await client.call(.post, "\(uri)/principals", key: tenant.ownerKey, json: ["display_name": display, "email": email])
            var assignment: [String: Any] = ["principal_id": principal["id"] as! String, "role": role]
            if let environment { assignment["environment_id"] = environment }
            if let notify { assignment["notify_email"] = notify }
            let assigned = try await client.call(.post, "\(uri)/role-assignments", key: tenant.ownerKey, json: assignment)
            #expect(assigned.status == .created, "\(assigned.text)")
            return try await client.call(.post, "\(uri)/keys", key: tenant.ownerKey, json: ["principal_id": principal["id"] as! String, "name": display])["secret"] as! String
        }
        let o365Key = try await key("IT admin", "it@\(domain)", role: "o365_admin", notify: "it@\(domain)")
        let adminKey = try await key("Ada", "ada@\(domain)", role: "admin", environment: tenant.environments[.uk]!)
        for region in regions where region != .uk {
            let assigned = try await client.call(
                .post, "\(uri)/role-assignments", key: tenant.ownerKey,
                json: ["principal_id": try await principalID(client, tenant, email: "ada@\(domain)"), "role": "admin", "environment_id": tenant.environments[region]!])
            #expect(assigned.status == .created)
        }
        let viewerKey = try await key("Vic", "vic@\(domain)", role: "viewer", environment: tenant.environments[.uk]!)
        _ = try await client.call(.put, "\(uri)/licence", key: tenant.ownerKey, json: ["status": "active", "seats": 100, "expires_on": "2099-12-31"])
        for region in regions {
            let base = "\(uri)/environments/\(tenant.environments[region]!)"
            _ = try await client.call(.put, "\(base)/dataverse", key: tenant.ownerKey, json: ["organization_url": "https://\(name.lowercased()).\(Self.dataverseLabel[region]!).dynamics.com", "organization_id": UUID().uuidString])
            _ = try await client.call(
                .post, "\(base)/customer-data/accounts", key: tenant.ownerKey,
                json: ["accounts": [["id": "A1", "name": "Fabrikam", "domains": ["fabrikam.com"]], ["id": "A2", "name": "Tailspin", "domains": ["tailspin.com"]]]])
            _ = try await client.call(
                .post, "\(base)/customer-data/contacts", key: tenant.ownerKey,
                json: ["contacts": [["id": "C1", "account_id": "A1", "emails": ["emailaddress1": "jo@fabrikam.com"]]]])
        }
        let users: [[String: Any]] = (1...5).map { ["id": "u\($0)", "mail": "user\($0)@\(domain)", "display_name": "User \($0)"] }
        let groups: [[String: Any]] = [
            ["id": "g-sales", "display_name": "Sales", "mail": "sales@\(domain)", "members": ["u1", "u2", "g-nested"]],
            ["id": "g-nested", "display_name": "Sales EMEA", "members": ["u3", "g-loop"]],
            ["id": "g-loop", "display_name": "Loop", "members": ["g-nested", "u4"]],
        ]
        let directory = try await client.call(.put, "\(uri)/directory", key: tenant.ownerKey, json: ["users": users, "groups": groups])
        #expect(directory.status == .ok, "\(directory.text)")
        return LifecycleFixture(tenant: tenant, adminKey: adminKey, o365Key: o365Key, viewerKey: viewerKey)
    }

    static func principalID(_ client: any TestClientProtocol, _ tenant: TenantFixture, email: String) async throws -> String {
        let list = try await client.call(.get, "/v1/tenants/\(tenant.id)/principals", key: tenant.ownerKey)
        return (list["principals"] as! [[String: Any]]).first { $0["email"] as? String == email }!["id"] as! String
    }

    /// A valid configuration body.
    func configuration(addresses: [String] = [], groups: [String] = ["Sales"], agreed: Bool = true, schedule: String = "weekly") -> [String: Any] {
        ["name": "Engagement", "addresses": addresses, "groups": groups, "agreed": agreed, "email_field": "emailaddress1", "schedule": schedule]
    }

    /// Pushes a little activity into an environment.
    func pushActivity(_ client: any TestClientProtocol, region: Region, at moment: Date) async throws {
        let domain = "\(tenantName.lowercased()).example"
        let stamp = ISO8601DateFormatter().string(from: moment.addingTimeInterval(-86_400))
        let earlier = ISO8601DateFormatter().string(from: moment.addingTimeInterval(-2 * 86_400))
        let lines = [
            #"{"kind":"email","message_id":"\#(region)-1","from":"user1@\#(domain)","to":["jo@fabrikam.com"],"sent_at":"\#(earlier)"}"#,
            #"{"kind":"email","message_id":"\#(region)-2","from":"jo@fabrikam.com","to":["user1@\#(domain)"],"sent_at":"\#(stamp)","in_reply_to":["\#(region)-1"]}"#,
            #"{"kind":"email","message_id":"\#(region)-3","from":"user2@\#(domain)","to":["sam@tailspin.com"],"sent_at":"\#(stamp)"}"#,
            #"{"kind":"meeting","uid":"\#(region)-m","organizer":"user3@\#(domain)","attendees":[{"address":"jo@fabrikam.com","partstat":"ACCEPTED"}],"start":"\#(earlier)","end":"\#(stamp)"}"#,
        ]
        let result = try await client.execute(
            uri: "\(base(region))/activity", method: .post,
            headers: [.authorization: "Bearer \(tenant.ownerKey)", .contentType: "application/x-ndjson"],
            body: .init(string: lines.joined(separator: "\n"))
        ) { ($0.status, String(buffer: $0.body)) }
        #expect(result.0 == .ok, "\(result.1)")
    }

    var tenantName: String { "Contoso" }
}
