import Foundation

/// One item of the prerequisite checklist.
public struct PrerequisiteResult: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable {
        case passed
        case failed
    }

    /// A stable identifier: `office365_licence`, `business_accounts`, `dataverse_attached`, `dataverse_reachable`, `admin_role`, `tenant_consent`.
    public var id: String
    public var status: Status
    /// What was found.
    public var detail: String
    /// What to do about a failure; empty when passed.
    public var remedy: String

    public init(id: String, status: Status, detail: String, remedy: String) {
        self.id = id
        self.status = status
        self.detail = detail
        self.remedy = remedy
    }
}

/// Asks an attached organization whether Rapport can write there (implemented by the Dataverse connector).
public protocol DataverseProbe: Sendable {
    /// `dataverse_reachable`: signs in with the tenant's app, calls `WhoAmI`, and says what to fix when that fails.
    func reachability(of environment: Environment, attachment: DataverseAttachment) async -> PrerequisiteResult
}

/// The five checks of PRODUCT.md, and whether the attached Dataverse answers, for one environment and one calling principal.
public struct Prerequisites: Sendable {
    let control: TenantStore
    let customerData: @Sendable (Environment) throws -> CustomerDataStore
    let consentState: @Sendable (UUID) async throws -> ConsentState
    let dataverseProbe: (any DataverseProbe)?

    /// What is known of the tenant administrator's consent.
    public enum ConsentState: Sendable, Equatable {
        case granted(at: Date)
        case requestable(to: String)
        case refused(reason: String)
        case noAdministrator
    }

    public init(
        control: TenantStore,
        customerData: @escaping @Sendable (Environment) throws -> CustomerDataStore,
        consentState: @escaping @Sendable (UUID) async throws -> ConsentState, dataverseProbe: (any DataverseProbe)? = nil
    ) {
        self.control = control
        self.customerData = customerData
        self.consentState = consentState
        self.dataverseProbe = dataverseProbe
    }

    /// Checks that gate nothing: a run still collects and publishes when they fail (the export step says why it did not write).
    public static let advisory: Set<String> = ["dataverse_reachable"]

    /// Runs every check; the order is the checklist's. `probing: false` leaves out the advisory checks that ask
    /// another system (Dataverse), for the gates of a save or a run, which those checks never hold up.
    public func check(tenant: UUID, environment environmentID: UUID, caller: Caller, at moment: Date, probing: Bool = true) async throws
        -> [PrerequisiteResult]
    {
        let environment = try await control.environment(tenant: tenant, id: environmentID)
        var results: [PrerequisiteResult] = []

        let licence = try await control.licence(tenant: tenant)
        switch licence {
        case .some(let licence) where licence.isActive(at: moment):
            results.append(passed("office365_licence", "active, \(licence.seats) seats, valid until \(TenantStore.dayText(licence.expiresOn))"))
        case .some(let licence):
            let why = licence.status == .active ? "expired on \(TenantStore.dayText(licence.expiresOn))" : "status \(licence.status.rawValue)"
            results.append(failed("office365_licence", "the Office 365 licence is not active (\(why))",
                                   "Renew or reactivate the tenant's Office 365 licence, then record it (PUT /v1/tenants/{tenant}/licence or rapport licence set)."))
        case .none:
            results.append(failed("office365_licence", "no Office 365 licence is recorded for the tenant",
                                  "Record the tenant's active Office 365 licence (PUT /v1/tenants/{tenant}/licence or rapport licence set)."))
        }

        if environment.profileType != .businessAccounts {
            results.append(failed("business_accounts", "the environment's profiles are individual customers, not business accounts",
                                  "Use an environment whose unified customer profiles are based on business accounts."))
        } else {
            let store = try customerData(environment)
            let counts = try await store.counts()
            if try await store.hasAccountWithReachableContact() {
                results.append(passed("business_accounts", "\(counts.accounts) business accounts, \(counts.contacts) contacts, \(counts.contactEmails) contact email addresses"))
            } else {
                results.append(failed("business_accounts",
                                      counts.accounts == 0 ? "the environment holds no business accounts" : "\(counts.accounts) business accounts, but no contact has an email address",
                                      "Import business accounts with contacts that carry email addresses (rapport import or POST …/customer-data)."))
            }
        }

        if let current = try await control.dataverseHistory(tenant: tenant, environment: environment.id).first(where: { $0.detachedAt == nil }) {
            results.append(passed("dataverse_attached", "organization \(current.organizationID.uuidString.lowercased()) at \(current.organizationURL)"))
            if probing, let reachability = await reachability(of: environment, attachment: current) { results.append(reachability) }
        } else {
            results.append(failed("dataverse_attached", "no Dataverse organization is attached to the environment",
                                  "Attach the environment's Dataverse organization (PUT …/environments/{environment}/dataverse or rapport dataverse attach)."))
        }

        if caller.may(.administerEnvironment, in: tenant, on: environment.id) {
            results.append(passed("admin_role", caller.isOwner ? "you own the tenant" : "you are an admin of the environment"))
        } else {
            results.append(failed("admin_role", "you are not an admin of the environment",
                                  "Ask a tenant owner to give you the admin role on this environment."))
        }

        switch try await consentState(tenant) {
        case .granted(let at):
            results.append(passed("tenant_consent", "the Office 365 administrator consented on \(TenantStore.dayText(at))"))
        case .requestable(let address):
            results.append(passed("tenant_consent", "consent can be requested from the Office 365 administrator at \(address)"))
        case .refused(let reason):
            results.append(failed("tenant_consent", "the Office 365 administrator refused consent: \(reason)",
                                  "Ask the tenant's Office 365 administrator to review and grant consent."))
        case .noAdministrator:
            results.append(failed("tenant_consent", "no Office 365 administrator is named for the tenant, so consent cannot be requested",
                                  "Assign the o365_admin role, with the address consent requests go to, to the tenant's Office 365 administrator."))
        }
        return results
    }

    /// `dataverse_reachable`: residency first (an attachment made before the check existed may be elsewhere), then the probe;
    /// nil when residency holds and this process has no probe (it does not link the connector).
    private func reachability(of environment: Environment, attachment: DataverseAttachment) async -> PrerequisiteResult? {
        do {
            try DataverseOrganizationURL(attachment.organizationURL).requireRegion(environment.region)
        } catch let error as ServiceError {
            return failed("dataverse_reachable", error.message, "Attach an organization in \(environment.region.displayName) (PUT …/environments/{environment}/dataverse).")
        } catch {
            return failed("dataverse_reachable", "\(error)", "Attach the environment's Dataverse organization again.")
        }
        guard let dataverseProbe else { return nil }
        return await dataverseProbe.reachability(of: environment, attachment: attachment)
    }

    private func passed(_ id: String, _ detail: String) -> PrerequisiteResult {
        PrerequisiteResult(id: id, status: .passed, detail: detail, remedy: "")
    }

    private func failed(_ id: String, _ detail: String, _ remedy: String) -> PrerequisiteResult {
        PrerequisiteResult(id: id, status: .failed, detail: detail, remedy: remedy)
    }
}

extension TenantStore {
    /// Consent as far as the control plane knows before consent requests exist: whom to ask.
    public func consentContact(tenant: UUID) async throws -> Prerequisites.ConsentState {
        let rows = try await pool.query(
            "SELECT notify_email FROM role_assignment WHERE tenant_id = \(tenant) AND role = 'o365_admin' ORDER BY created_at LIMIT 1")
        guard let address = try rows.first(decoding: String.self) else { return .noAdministrator }
        return .requestable(to: address)
    }
}
