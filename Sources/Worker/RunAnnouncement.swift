import Foundation
import Ingest
import Platform

/// The webhook body announcing a published run: ids, as-of, counts, the export's outcome and links to the
/// results API. Aggregate counts only: never a row, an account id or an address.
enum RunAnnouncement {
    static let event = "run.published"

    static func body(run: RunRecord, environment: ControlStore.Environment, platform: Platform) async throws -> String {
        let summary = try await platform.scope(for: environment).results.summary()
        let fresh = try await platform.runs.run(tenant: run.tenantID, id: run.id) ?? run
        let export = fresh.steps.first { $0.step == .export }
        let base = "\(platform.publicBaseURL)/v1/tenants/\(run.tenantID.uuidString.lowercased())/environments/\(run.environmentID.uuidString.lowercased())"
        func time(_ date: Date?) -> JSONText { date.map { .string(RFC3339UTC.string(from: $0)) } ?? .null }
        var exportMembers: [(String, JSONText)] = [("state", .string(export?.state.rawValue ?? "skipped"))]
        for key in ["rows_sent", "rows_unchanged", "rows_deleted", "organization_rows"] {
            if let value = export?.counts[key] { exportMembers.append((key, .int(value))) }
        }
        if let error = export?.error { exportMembers.append(("error", .string(error))) }
        let body = JSONText.object([
            ("event", .string(event)),
            ("tenant_id", .string(run.tenantID.uuidString.lowercased())),
            ("environment_id", .string(run.environmentID.uuidString.lowercased())),
            ("environment", .string(environment.name)),
            ("run_id", .string(run.id.uuidString.lowercased())),
            ("as_of", time(run.asOf)),
            ("published_at", time(summary?.publishedAt)),
            ("enriched_customers", summary.map { .int($0.enrichedCustomers) } ?? .null),
            ("emails_processed", summary.map { .int($0.emailsProcessed) } ?? .null),
            ("meetings_processed", summary.map { .int($0.meetingsProcessed) } ?? .null),
            ("score_version", summary.map { .int($0.scoreVersion) } ?? .null),
            ("export", .object(exportMembers)),
            ("links", .object([
                ("summary", .string("\(base)/results")), ("rows", .string("\(base)/results/rows")), ("run", .string("\(base)/runs/\(run.id.uuidString.lowercased())")),
            ])),
        ])
        return String(decoding: body.bytes(indent: false), as: UTF8.self)
    }
}
