import Engagement
import FakeGraph
import Foundation
import Platform

/// Prepares a tenant for the Graph benchmark directly through the stores: licence, Dataverse,
/// customer data, directory, app registration, enrichments and consent.
struct GraphBenchSetup {
    var tenantID: UUID
    var environments: [ControlStore.Environment]
    /// The owner, also the Office 365 administrator.
    var caller: Caller

    static func prepare(platform: Platform, fake: FakeTenant, store: FakeGraphStore, accounts: Int, environments count: Int) async throws -> GraphBenchSetup {
        let control = platform.control
        let root = Caller.localOperator(try await control.localOperator(named: "bench"))
        let tenant = try await control.createTenant(name: "Bench \(UUID().uuidString.prefix(6))", emailDomains: [fake.domain], by: root)
        let owner = try await control.createPrincipal(tenant: tenant.id, displayName: "Owner", email: "owner@\(fake.domain)", by: root)
        _ = try await control.assignRole(tenant: tenant.id, principal: owner.id, role: .owner, environment: nil, notifyEmail: nil, by: root)
        _ = try await control.assignRole(tenant: tenant.id, principal: owner.id, role: .o365Admin, environment: nil, notifyEmail: "it@\(fake.domain)", by: root)
        let caller = Caller(
            identity: .principal(tenantID: tenant.id, principalID: owner.id), keyID: Caller.systemKeyID,
            roles: [RoleGrant(role: .owner, environmentID: nil), RoleGrant(role: .o365Admin, environmentID: nil)])
        _ = try await control.setLicence(tenant: tenant.id, status: .active, seats: 10_000, expiresOn: Date().addingTimeInterval(365 * 86_400), by: caller)
        // The stored directory (for saving the configuration): members outside the tenant's domains left out.
        let staff = fake.users.filter { $0.address.hasSuffix("@" + fake.domain) }
        let known = Set(staff.map(\.id) + fake.groups.map(\.id))
        try await platform.directory.replace(
            tenant: tenant.id,
            with: Directory(
                users: staff.map { Directory.User(id: $0.id, mail: $0.mail, userPrincipalName: $0.userPrincipalName, displayName: $0.displayName) },
                groups: fake.groups.map { Directory.Group(id: $0.id, displayName: $0.displayName, mail: $0.mail, members: $0.members.filter(known.contains)) }))
        _ = try await platform.saveGraphRegistration(
            tenant: tenant.id,
            .init(entraTenantID: store.credentials.tenantID, clientID: store.credentials.clientID, clientSecret: store.credentials.clientSecret),
            by: caller)
        var environments: [ControlStore.Environment] = []
        for index in 0..<count {
            let environment = try await control.createEnvironment(
                tenant: tenant.id, name: "Graph \(index + 1)", region: .eu, profileType: .businessAccounts, by: caller)
            _ = try await control.attachDataverse(
                tenant: tenant.id, environment: environment.id, organizationURL: "https://bench.crm4.dynamics.com", organizationID: UUID(), by: caller)
            let businessAccounts = (0..<accounts).map { BusinessAccount(id: "A\($0)", name: "Account \($0)", domains: ["account\($0).example"]) }
            let contacts = (0..<accounts).map { Contact(id: "C\($0)", accountID: "A\($0)", emailsByColumn: ["emailaddress1": "c0@account\($0).example"]) }
            _ = try await platform.scope(for: environment).customerData.replace(accounts: businessAccounts, contacts: contacts)
            _ = try await platform.saveEnrichment(
                tenant: tenant.id, environment: environment.id,
                EnrichmentConfiguration(name: "Bench", addresses: [], groups: ["Sales"], agreed: true, emailField: "emailaddress1"), by: caller)
            environments.append(environment)
        }
        try await platform.decideConsent(tenant: tenant.id, grant: true, reason: nil, by: caller)
        return GraphBenchSetup(tenantID: tenant.id, environments: environments, caller: caller)
    }
}
