import Engagement
import Foundation
import Postgres

extension StoredEnrichment {
    /// The select list `init(row:)` reads, of table `enrichment` aliased `e`, with the count of its mailboxes.
    static let columns: PostgresQuery = """
        name, agreed, dataset, email_field, schedule, weights, rules, requested_addresses, requested_groups,
        next_run_at, updated_at, export_levels,
        (SELECT count(*) FROM enrichment_mailbox m WHERE m.tenant_id = e.tenant_id AND m.environment_id = e.environment_id) AS mailbox_count
        """

    /// An unknown stored schedule reads as `weekly`.
    init(row: PostgresRow) throws {
        let configuration = EnrichmentConfiguration(
            name: try row.decode(column: "name"), addresses: try row.decode(column: "requested_addresses"),
            groups: try row.decode(column: "requested_groups"), agreed: try row.decode(column: "agreed"),
            dataset: try row.decode(column: "dataset"), emailField: try row.decode(column: "email_field"),
            schedule: EnrichmentConfiguration.Schedule(rawValue: try row.decode(column: "schedule")) ?? .weekly,
            weights: try row.decode(PostgresJSON<ScoreWeights>.self, column: "weights").value,
            rules: try row.decode(PostgresJSON<NoiseRules>.self, column: "rules").value,
            exportLevels: try row.decode(column: "export_levels"))
        self.init(
            configuration: configuration, mailboxCount: try row.decode(column: "mailbox_count"),
            nextRunAt: try row.decode(column: "next_run_at"), updatedAt: try row.decode(column: "updated_at"))
    }
}
