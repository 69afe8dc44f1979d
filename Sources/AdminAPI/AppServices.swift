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
    public var now: @Sendable () -> Date

    public init(
        control: ControlStore, regions: RegionDatabases, serviceSecret: [UInt8], maximumBodyBytes: Int = 1 << 20,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.control = control
        self.regions = regions
        self.serviceSecret = serviceSecret
        self.maximumBodyBytes = maximumBodyBytes
        self.now = now
    }

    /// The customer data of an environment, in its region's database.
    public func customerData(for environment: Store.Environment) throws -> CustomerDataStore {
        CustomerDataStore(
            database: try regions.database(for: environment.region),
            hasher: AddressHasher(serviceSecret: serviceSecret, tenant: environment.tenantID))
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
