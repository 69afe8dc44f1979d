import Engagement
import Foundation
import Postgres

extension EnrichmentStore {
    /// Replaces an environment's resolved mailboxes (the seed's `Office_UserEntity`) with what Graph resolved.
    ///
    /// The configuration stays as the admin saved it; its addresses and groups
    /// are resolved again on every run, so group membership changes apply.
    public func replaceMailboxes(tenant: UUID, environment: UUID, with mailboxes: [SelectedMailbox]) async throws {
        try await pool.withTransaction { connection in
            let exists = try await connection.query(
                "SELECT 1 FROM enrichment WHERE tenant_id = \(tenant) AND environment_id = \(environment) FOR UPDATE")
            guard !exists.isEmpty else { throw ServiceError.notFound("enrichment") }
            try await connection.execute("DELETE FROM enrichment_mailbox WHERE tenant_id = \(tenant) AND environment_id = \(environment)")
            try await connection.copyFrom("COPY enrichment_mailbox (tenant_id, environment_id, address, directory_id) FROM STDIN") { writer in
                for mailbox in mailboxes {
                    try await writer.writeRow(tenant, environment, mailbox.address, mailbox.directoryID)
                }
            }
        }
    }
}
