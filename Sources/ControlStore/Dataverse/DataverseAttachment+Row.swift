import Foundation
import Postgres

extension DataverseAttachment {
    /// The select list `init(row:)` reads, of table `dataverse_attachment`.
    static let columns: PostgresQuery = "organization_url, organization_id, geography, attached_at, attached_by, detached_at, detached_by"

    init(row: PostgresRow) throws {
        self.init(
            organizationURL: try row.decode(column: "organization_url"), organizationID: try row.decode(column: "organization_id"),
            geography: try row.decode(column: "geography"),
            attachedAt: try row.decode(column: "attached_at"), attachedBy: try row.decode(column: "attached_by"),
            detachedAt: try row.decode(column: "detached_at"), detachedBy: try row.decode(column: "detached_by"))
    }
}
