import Engagement
import Foundation
import Store

/// What the routes need: the stores, the secrets and the limits.
public struct AppServices: Sendable {
    public var control: ControlStore
    public var regions: RegionDatabases
    /// The service's secret; per-tenant address keys derive from it.
    public var serviceSecret: [UInt8]
    /// The largest request body accepted, in bytes.
    public var maximumBodyBytes: Int
    /// The largest activity batch accepted, in bytes after decompression.
    public var maximumActivityBytes: Int
    public var now: @Sendable () -> Date

    public init(
        control: ControlStore, regions: RegionDatabases, serviceSecret: [UInt8], maximumBodyBytes: Int = 1 << 20,
        maximumActivityBytes: Int = 256 << 20, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.control = control
        self.regions = regions
        self.serviceSecret = serviceSecret
        self.maximumBodyBytes = maximumBodyBytes
        self.maximumActivityBytes = maximumActivityBytes
        self.now = now
    }

    /// The customer data of an environment, in its region's database.
    public func customerData(for environment: Store.Environment) throws -> CustomerDataStore {
        CustomerDataStore(
            database: try regions.database(for: environment.region),
            hasher: AddressHasher(serviceSecret: serviceSecret, tenant: environment.tenantID))
    }

    public func hasher(for tenant: UUID) -> AddressHasher {
        AddressHasher(serviceSecret: serviceSecret, tenant: tenant)
    }

    public func importer(for environment: Store.Environment) throws -> ActivityImporter {
        ActivityImporter(database: try regions.database(for: environment.region), hasher: hasher(for: environment.tenantID))
    }

    public func results(for environment: Store.Environment) throws -> ResultsStore {
        ResultsStore(database: try regions.database(for: environment.region))
    }

    public func aggregator(for environment: Store.Environment) throws -> EnrichmentAggregator {
        EnrichmentAggregator(database: try regions.database(for: environment.region))
    }

    /// Who counts as whom when activity of `environment` is imported now.
    ///
    /// Until an enrichment configuration selects mailboxes, every address of the
    /// tenant's own domains counts as selected.
    public func activityScope(for environment: Store.Environment) async throws -> ActivityImporter.Scope {
        let tenant = try await control.tenant(environment.tenantID)
        let moment = now()
        return ActivityImporter.Scope(
            tenant: environment.tenantID, environment: environment.id, internalDomains: tenant.emailDomains,
            selectedAddresses: nil, emailField: nil, windowStart: moment.addingTimeInterval(-365 * 86_400), windowEnd: moment)
    }

    public var prerequisites: Prerequisites {
        let control = self.control
        let services = self
        return Prerequisites(
            control: control,
            customerData: { try services.customerData(for: $0) },
            consentState: { try await control.consentContact(tenant: $0) })
    }
}
