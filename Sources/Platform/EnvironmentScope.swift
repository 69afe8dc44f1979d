import ControlStore
import Engagement
import Foundation
import RegionStore

/// One environment of one tenant: every region store, bound to it.
///
/// Made only by `Platform` from an environment it looked up in the control
/// database, so a store can reach no other tenant's or environment's rows and
/// takes no tenant or environment argument. Each transaction of each store runs
/// inside `withTenant` (row-level security) on the environment's own region database.
public struct EnvironmentScope: Sendable {
    public let environment: ControlStore.Environment
    let slice: EnvironmentDatabase
    let hasher: AddressHasher

    init(environment: ControlStore.Environment, database: RegionDatabase, hasher: AddressHasher) {
        self.environment = environment
        self.slice = EnvironmentDatabase(database: database, tenant: environment.tenantID, environment: environment.id)
        self.hasher = hasher
    }

    public var tenantID: UUID { environment.tenantID }
    public var environmentID: UUID { environment.id }
    public var region: Region { environment.region }

    /// Business accounts and contacts.
    public var customerData: CustomerDataStore { CustomerDataStore(slice, hasher: hasher) }
    /// Activity records into signals.
    public var importer: ActivityImporter { ActivityImporter(slice, hasher: hasher) }
    /// Aggregation, scoring and publishing of runs.
    public var aggregator: EnrichmentAggregator { EnrichmentAggregator(slice) }
    /// The published results.
    public var results: ResultsStore { ResultsStore(slice) }
    /// Segments and measures.
    public var segments: SegmentStore { SegmentStore(slice) }
    /// What was last written to the attached Dataverse organization.
    public var dataverseExport: DataverseExportStore { DataverseExportStore(slice) }
    /// The Graph connector's resume points.
    public var graphSync: GraphSyncStore { GraphSyncStore(slice, hasher: hasher) }
}
