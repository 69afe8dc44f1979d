import Engagement
import Foundation
import Postgres

extension Environment {
    /// The select list `init(row:)` reads, of table `environment`.
    static let columns: PostgresQuery = "environment_id, tenant_id, name, region, profile_type, created_at"

    /// An unknown stored region reads as `eu`, an unknown profile as business accounts.
    init(row: PostgresRow) throws {
        self.init(
            id: try row.decode(column: "environment_id"), tenantID: try row.decode(column: "tenant_id"), name: try row.decode(column: "name"),
            region: Region(rawValue: try row.decode(column: "region")) ?? .eu,
            profileType: ProfileType(rawValue: try row.decode(column: "profile_type")) ?? .businessAccounts,
            createdAt: try row.decode(column: "created_at"))
    }
}
