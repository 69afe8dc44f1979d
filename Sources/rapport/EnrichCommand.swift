import ArgumentParser
import Engagement
import Foundation
import Platform

/// `rapport enrich`: aggregate, score and publish an environment's result now, in this process.
struct EnrichCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enrich",
        abstract: "Aggregate the stored activity, score it and publish the result (as of now, or --as-of).")

    @OptionGroup var target: EnvironmentOptions
    @Option(help: "The as-of time, RFC 3339 (default: now); the window is the year before it.") var asOf: String?

    func run() async throws {
        var moment = Date()
        if let asOf {
            guard let parsed = ISO8601DateFormatter().date(from: asOf) else { throw ValidationError("--as-of must be RFC 3339, e.g. 2026-11-29T00:00:00Z") }
            moment = parsed
        }
        try await OperatorContext.run { context in
            let tenant = try await context.control.findTenant(target.tenant)
            let environment = try await context.control.findEnvironment(tenant: tenant.id, target.environment)
            let aggregator = try context.runtime.services.platform.scope(for: environment).aggregator
            let run = EnrichmentAggregator.RunSpec(asOf: moment, weights: .defaults)
            do {
                let summary = try await aggregator.aggregate(run)
                try await aggregator.publish(runID: run.runID, at: Date())
                print("published run \(run.runID.uuidString.lowercased()): \(summary.enrichedCustomers) enriched customers, \(summary.emailsProcessed) emails, \(summary.meetingsProcessed) meetings, \(summary.daysOfData) days of data")
            } catch {
                try? await aggregator.discard(runID: run.runID)
                throw error
            }
        }
    }
}
