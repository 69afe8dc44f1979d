import Foundation
import Postgres

extension GraphRegistration {
    /// The select list `init(row:)` reads, of table `graph_registration` (never the sealed secret).
    static let columns: PostgresQuery = "tenant_id, entra_tenant_id, client_id, cloud, secret_updated_at, consented_at, created_at, updated_at"

    /// A stored registration always has a secret; an unknown stored cloud reads as `global`.
    init(row: PostgresRow) throws {
        self.init(
            tenantID: try row.decode(column: "tenant_id"), entraTenantID: try row.decode(column: "entra_tenant_id"),
            clientID: try row.decode(column: "client_id"), cloud: GraphCloud(rawValue: try row.decode(column: "cloud")) ?? .global,
            hasSecret: true, secretUpdatedAt: try row.decode(column: "secret_updated_at"), consentedAt: try row.decode(column: "consented_at"),
            createdAt: try row.decode(column: "created_at"), updatedAt: try row.decode(column: "updated_at"))
    }
}
