import ArgumentParser
import Connectors
import Engagement
import Foundation
import Logging
import Platform
import Worker

/// `rapport enrich`: runs the worker's pipeline for one environment now, in this process.
///
/// The run goes through the queue and `RunPipeline` exactly as a worker's does (created
/// already claimed, so no region worker races for it): the stored weights and rules,
/// the same steps recorded, segments re-evaluated on publish. It collects nothing: the
/// activity is what `rapport import` (or a push) stored. An attached Dataverse organization receives the
/// result as after any run; the webhook's delivery is queued for the region's worker to send.
struct EnrichCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enrich",
        abstract: "Run the enrichment pipeline on the stored activity now, in this process (as of now, or --as-of).")

    @OptionGroup var target: EnvironmentOptions
    @Option(help: "The as-of time, RFC 3339 (default: now); the window is the year before it.") var asOf: String?

    func run() async throws {
        var moment: Date?
        if let asOf {
            guard let parsed = ISO8601DateFormatter().date(from: asOf) else { throw ValidationError("--as-of must be RFC 3339, e.g. 2026-11-29T00:00:00Z") }
            moment = parsed
        }
        try await OperatorContext.run { context in
            let platform = context.runtime.services.platform
            let tenant = try await context.control.findTenant(target.tenant)
            let environment = try await context.control.findEnvironment(tenant: tenant.id, target.environment)
            let logger = Logger(label: "rapport.enrich", level: .warning)
            let dataverse = DataverseConnector(platform: platform, logger: logger)
            let worker = RegionWorker(
                platform: platform,
                configuration: .init(region: environment.region, workerID: "rapport-enrich/\(ProcessInfo.processInfo.processIdentifier)", lease: 300),
                exporters: [dataverse], logger: logger)
            let finished: RunRecord
            do {
                finished = try await worker.enrichNow(environment, asOf: moment)
                try? await dataverse.shutdown()
            } catch {
                try? await dataverse.shutdown()
                throw error
            }
            for step in finished.steps where step.state != .pending {
                let counts = step.counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                print("  \(step.step.rawValue.padding(toLength: 18, withPad: " ", startingAt: 0)) \(step.state.rawValue)\(counts.isEmpty ? "" : ": \(counts)")\(step.error.map { ": \($0)" } ?? "")")
            }
            guard finished.status == .succeeded, let summary = try await platform.scope(for: environment).results.summary() else {
                fail("run \(finished.id.uuidString.lowercased()) \(finished.status.rawValue)\(finished.error.map { ": \($0)" } ?? "")", code: 1)
            }
            print("published run \(finished.id.uuidString.lowercased()): \(summary.enrichedCustomers) enriched customers, \(summary.emailsProcessed) emails, \(summary.meetingsProcessed) meetings, \(summary.daysOfData) days of data")
        }
    }
}
