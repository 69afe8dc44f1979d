import Engagement
import Foundation
import Generator
import Platform

/// The demo's tenant with every prerequisite met, found or created so that `rapport-dev demo` can run again:
/// owner and Office 365 administrator, licence, an environment per region with Dataverse attached,
/// the directory, customer data, the Graph app registration, the saved enrichment, and consent.
struct DemoTenant {
    static let name = "Demo Org"
    /// One environment per region, each with its own Dataverse organization in that region's geography.
    static let environments: [(name: String, region: Region, dataverseHost: String, organizationID: UUID)] = [
        ("Demo UK", .uk, "demo-uk.crm11.dynamics.com", UUID(uuidString: "6f1c2b8e-0000-4000-8000-000000000001")!),
        ("Demo EU", .eu, "demo-eu.crm4.dynamics.com", UUID(uuidString: "6f1c2b8e-0000-4000-8000-000000000002")!),
        ("Demo NA", .na, "demo-na.crm.dynamics.com", UUID(uuidString: "6f1c2b8e-0000-4000-8000-000000000003")!),
    ]

    var tenant: Tenant
    var environments: [ControlStore.Environment]
    /// The owner, as its new key authenticates.
    var owner: Caller
    /// The owner's sign-in key, new on every demo run (the previous demo key is revoked).
    var ownerKey: String
    /// Whether this run granted consent (false: it was granted by an earlier run).
    var consentGranted: Bool

    /// Brings the tenant to "ready to run" for `organization`, whose files are in `folder`, collected from `graph`.
    static func prepare(
        platform: Platform, organization: SyntheticOrganization, folder: URL, graph: GraphRegistrationStore.Input
    ) async throws -> DemoTenant {
        let control = platform.control
        let root = Caller.localOperator(try await control.localOperator(named: "rapport-demo"))
        let domain = organization.spec.domain
        let tenant: Tenant
        if let known = try await control.listTenants().first(where: { $0.name == name }) {
            tenant = known
        } else {
            tenant = try await control.createTenant(name: name, emailDomains: organization.internalDomains, by: root)
        }

        let owner = try await principal(control, tenant: tenant.id, email: "owner@\(domain)", name: "Demo Owner", role: .owner, by: root)
        let administrator = try await principal(
            control, tenant: tenant.id, email: "it@\(domain)", name: "Office 365 Administrator", role: .o365Admin, by: root)
        for key in try await control.keys(tenant: tenant.id) where key.principalID == owner && key.name == "demo" && key.revokedAt == nil {
            try await control.revokeKey(tenant: tenant.id, id: key.id, by: root)
        }
        let (_, key) = try await control.createKey(tenant: tenant.id, principal: owner, name: "demo", by: root)
        let ownerCaller = try await control.authenticate(key.plaintext)
        // The demo decides on consent as the administrator would in the console.
        let administratorCaller = Caller(
            identity: .principal(tenantID: tenant.id, principalID: administrator), keyID: Caller.systemKeyID,
            roles: [RoleGrant(role: .o365Admin, environmentID: nil)])

        let moment = platform.now()
        if try await control.licence(tenant: tenant.id)?.isActive(at: moment.addingTimeInterval(30 * 86_400)) != true {
            _ = try await control.setLicence(
                tenant: tenant.id, status: .active, seats: 250, expiresOn: moment.addingTimeInterval(365 * 86_400), by: ownerCaller)
        }
        try await platform.directory.replace(
            tenant: tenant.id, with: DirectoryFiles.read([folder.appendingPathComponent("directory.json").path]))
        _ = try await platform.saveGraphRegistration(tenant: tenant.id, graph, by: ownerCaller)

        let (accounts, contacts) = try CustomerDataFiles.read(
            accounts: folder.appendingPathComponent("accounts.csv").path, contacts: folder.appendingPathComponent("contacts.csv").path,
            emailFields: [])
        let existing = try await control.environments(tenant: tenant.id)
        var environments: [ControlStore.Environment] = []
        for entry in Self.environments {
            let environment: ControlStore.Environment
            if let known = existing.first(where: { $0.name == entry.name }) {
                environment = known
            } else {
                environment = try await platform.createEnvironment(
                    tenant: tenant.id, name: entry.name, region: entry.region, profileType: .businessAccounts, by: ownerCaller)
            }
            let attached = try await control.dataverseHistory(tenant: tenant.id, environment: environment.id).first { $0.detachedAt == nil }
            if attached?.organizationID != entry.organizationID {
                _ = try await control.attachDataverse(
                    tenant: tenant.id, environment: environment.id, organizationURL: "https://\(entry.dataverseHost)",
                    organizationID: entry.organizationID, by: ownerCaller)
            }
            _ = try await platform.scope(for: environment).customerData.replace(
                accounts: accounts, contacts: contacts)
            _ = try await platform.saveEnrichment(
                tenant: tenant.id, environment: environment.id,
                EnrichmentConfiguration(
                    name: "Customer engagement", addresses: organization.directory.selectedAddresses,
                    groups: organization.directory.selectedGroups, agreed: true, emailField: "emailaddress1"),
                by: ownerCaller)
            environments.append(environment)
        }

        let granted = try await platform.consent.state(tenant: tenant.id).isGranted
        if !granted {
            try await platform.decideConsent(tenant: tenant.id, grant: true, reason: nil, by: administratorCaller)
        }
        return DemoTenant(tenant: tenant, environments: environments, owner: ownerCaller, ownerKey: key.plaintext, consentGranted: !granted)
    }

    /// The principal with `email`, created when new, holding the tenant role `role`.
    private static func principal(
        _ control: TenantStore, tenant: UUID, email: String, name: String, role: Role, by caller: Caller
    ) async throws -> UUID {
        let known = try await control.principals(tenant: tenant).first { $0.email?.lowercased() == email }
        let id: UUID
        if let known {
            id = known.id
        } else {
            id = try await control.createPrincipal(tenant: tenant, displayName: name, email: email, by: caller).id
        }
        if try await !control.roleAssignments(tenant: tenant).contains(where: { $0.principalID == id && $0.role == role }) {
            _ = try await control.assignRole(
                tenant: tenant, principal: id, role: role, environment: nil, notifyEmail: role == .o365Admin ? email : nil, by: caller)
        }
        return id
    }

    /// Queues a run of each environment ("Run now") as of `asOf`, or takes the one already queued or running.
    ///
    /// Each demo serves its mailboxes from a new fake Graph, so the delta links an earlier demo stored
    /// point at a server that is gone: they are forgotten and every folder is synced from scratch; the
    /// signals an earlier demo stored go too, since its organization may have been another (other
    /// `--seed` or sizes).
    func queueRuns(platform: Platform, asOf: Date) async throws -> [RunRecord] {
        var runs: [RunRecord] = []
        for environment in environments {
            try await platform.scope(for: environment).graphSync.resetAll()
            try await platform.scope(for: environment).importer.deleteAll()
            if let active = try await platform.runs.active(tenant: tenant.id, environment: environment.id) {
                runs.append(active)
            } else {
                runs.append(try await platform.runNow(tenant: tenant.id, environment: environment.id, asOf: asOf, by: owner))
            }
        }
        return runs
    }
}
