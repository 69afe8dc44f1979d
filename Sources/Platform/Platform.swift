import Engagement
import Foundation

/// Everything one process of Rapport works with: the control store, the region
/// databases, the service secret, the clock, and the stores built on them.
///
/// `rapport serve`, the region workers and the operator commands share it, so
/// each decision (which database, which hash key, which scope) is made here once.
public struct Platform: Sendable {
    public var control: TenantStore
    public var regions: RegionDatabases
    /// The service's secret; per-tenant address keys and consent tokens derive from it.
    public var serviceSecret: [UInt8]
    /// The clock of everything stamped or compared with stored times: the control store's unless given.
    public var now: @Sendable () -> Date
    /// Where links in emails point, e.g. `https://rapport.example.com`.
    public var publicBaseURL: String
    /// Time from the consent grant to the first run.
    public var firstRunDelay: TimeInterval
    /// Microsoft Graph (issue 8): hosts, limits and the key sealing client secrets (`graph.*` settings).
    public var graph = GraphSettings()
    /// The Dataverse export (issue 17): hosts, limits, batch size (`dataverse.*` settings).
    public var dataverse = DataverseSettings()
    /// Asks an attached Dataverse organization whether Rapport's app may work in it (`dataverse_reachable`);
    /// set by the processes that link the connector, nil elsewhere (the check then says it was not run).
    public var dataverseProbe: (any DataverseProbe)?
    /// `webhook.allow.http`: webhooks may use http:// URLs (development only).
    public var webhooksAllowHTTP = false

    public init(
        control: TenantStore, regions: RegionDatabases, serviceSecret: [UInt8], now: (@Sendable () -> Date)? = nil,
        publicBaseURL: String = "http://127.0.0.1:8080", firstRunDelay: TimeInterval = 6 * 3600
    ) {
        self.control = control
        self.regions = regions
        self.serviceSecret = serviceSecret
        self.now = now ?? control.now
        self.publicBaseURL = publicBaseURL
        self.firstRunDelay = firstRunDelay
    }

    public var directory: DirectoryStore { DirectoryStore(pool: control.pool) }
    public var enrichments: EnrichmentStore { EnrichmentStore(pool: control.pool) }
    public var outbox: OutboxStore { OutboxStore(pool: control.pool) }
    public var runs: RunQueue { RunQueue(pool: control.pool) }
    public var webhooks: WebhookStore { WebhookStore(control: control, serviceSecret: serviceSecret, allowsHTTP: webhooksAllowHTTP) }
    public var consent: ConsentStore {
        ConsentStore(pool: control.pool, secret: serviceSecret, publicBaseURL: publicBaseURL, firstRunDelay: firstRunDelay, graph: graph)
    }

    public func hasher(for tenant: UUID) -> AddressHasher {
        AddressHasher(serviceSecret: serviceSecret, tenant: tenant)
    }

    /// The region stores of `environment`, bound to it.
    public func scope(for environment: Environment) throws -> EnvironmentScope {
        EnvironmentScope(environment: environment, database: try regions.database(for: environment.region), hasher: hasher(for: environment.tenantID))
    }

    /// Creates an environment and gives it the ready-made segments.
    public func createEnvironment(
        tenant: UUID, name: String, region: Region, profileType: Environment.ProfileType, by caller: Caller
    ) async throws -> Environment {
        let environment = try await control.createEnvironment(tenant: tenant, name: name, region: region, profileType: profileType, by: caller)
        try await scope(for: environment).segments.seed(at: now())
        return environment
    }

    /// Who counts as whom when activity of `environment` is imported now.
    ///
    /// With an enrichment configured, its mailboxes are the selected addresses,
    /// its email field maps contacts, and its noise rules and exclusions apply.
    /// Before that, every address of the tenant's own domains counts as selected.
    /// `asOf` is the run's moment (its scheduled time), which fixes the one-year window's start; nil is now.
    public func activityScope(for environment: Environment, asOf: Date? = nil) async throws -> ActivityImporter.Scope {
        let tenant = try await control.tenant(environment.tenantID)
        let moment = now()
        let stored = try await enrichments.configuration(tenant: environment.tenantID, environment: environment.id)
        var selected: Set<String>?
        if stored != nil {
            selected = Set(try await enrichments.mailboxes(tenant: environment.tenantID, environment: environment.id).map(\.address))
        }
        return ActivityImporter.Scope(
            internalDomains: tenant.emailDomains,
            selectedAddresses: selected, emailField: stored?.configuration.emailField,
            rules: stored?.configuration.rules ?? NoiseRules(), windowStart: (asOf ?? moment).addingTimeInterval(-365 * 86_400),
            windowEnd: moment)
    }

    /// The consent state the prerequisite check reports.
    public func consentForPrerequisites(tenant: UUID) async throws -> Prerequisites.ConsentState {
        let state = try await consent.state(tenant: tenant)
        switch state.status {
        case .granted: return .granted(at: state.decidedAt ?? now())
        case .refused: return .refused(reason: state.reason ?? "no reason given")
        case .none, .requested, .withdrawn: return try await control.consentContact(tenant: tenant)
        }
    }

    public var prerequisites: Prerequisites {
        let platform = self
        return Prerequisites(
            control: control,
            customerData: { try platform.scope(for: $0).customerData },
            consentState: { try await platform.consentForPrerequisites(tenant: $0) },
            dataverseProbe: dataverseProbe)
    }
}
