import Engagement
import Foundation
import Logging
import ServiceLifecycle
import Platform

/// Executes one claimed run step by step, recording each step's state, counts and error.
///
/// Steps that already succeeded in an earlier attempt are not repeated (a run
/// taken over after a lost worker resumes); every step is idempotent, so one
/// interrupted halfway simply runs again.
struct RunPipeline: Sendable {
    let platform: Platform
    let region: Region
    let collectors: [any ActivityCollector]
    let logger: Logger
    /// Test hook: a step name at which the worker stops (to be killed there).
    let pauseAt: RunStep?

    func execute(_ run: RunRecord) async throws {
        let queue = platform.runs
        let environment = try await platform.control.environment(tenant: run.tenantID, id: run.environmentID)
        guard environment.region == region, run.region == region else {
            throw RunFailure(
                "the environment is in region \(environment.region.rawValue); a \(region.rawValue) worker refuses to process it",
                retryable: false)
        }
        var mailboxes: [SelectedMailbox] = []
        var noise: [String: Int] = [:]

        func done(_ step: RunStep) -> Bool {
            let state = run.steps.first { $0.step == step }?.state
            return state == .succeeded || state == .skipped
        }
        for step in RunStep.allCases {
            try Task.checkCancellation()
            // SIGTERM: the step at hand has finished; hand the run back before the next one.
            if Task.isShuttingDownGracefully { throw CancellationError() }
            // The score is computed inside the aggregate step's transaction, and the
            // two stand or fall together: aggregate again unless the score is done.
            if step == .score { continue }
            if step == .aggregate ? done(.score) : (step != .resolveMailboxes && done(step)) {
                continue
            }
            try await queue.stepStarted(run, step, at: Date())
            if step == pauseAt {
                logger.warning("pausing at step for a test", metadata: ["step": "\(step.rawValue)"])
                try await Task.sleep(for: .seconds(3600))
            }
            do {
                let (state, counts) = try await perform(step, run: run, environment: environment, mailboxes: &mailboxes, noise: &noise)
                try await queue.stepFinished(run, step, state: state, counts: counts, at: Date())
            } catch {
                let message = RunFailure.message(for: error)
                logger.warning("run step failed", metadata: ["run": "\(run.id)", "step": "\(step.rawValue)", "error": "\(error)"])
                try? await queue.stepFinished(run, step, state: .failed, error: message, at: Date())
                throw error
            }
        }
    }

    private func perform(
        _ step: RunStep, run: RunRecord, environment: ControlStore.Environment, mailboxes: inout [SelectedMailbox], noise: inout [String: Int]
    ) async throws -> (RunRecord.Step.State, [String: Int]) {
        switch step {
        case .resolveMailboxes:
            guard try await platform.consent.state(tenant: run.tenantID).isGranted else {
                throw RunFailure("the Office 365 administrator's consent is not granted; nothing is collected", retryable: false)
            }
            guard try await platform.enrichments.configuration(tenant: run.tenantID, environment: run.environmentID) != nil else {
                throw RunFailure("the environment has no enrichment configuration", retryable: false)
            }
            let failed = try await checkPrerequisites(run)
            guard failed.isEmpty else {
                throw RunFailure("prerequisites failed: \(failed.joined(separator: ", "))", retryable: false)
            }
            mailboxes = try await platform.enrichments.mailboxes(tenant: run.tenantID, environment: run.environmentID)
            return (.succeeded, ["mailboxes": mailboxes.count])

        case .collectEmail, .collectMeetings:
            let kind: CollectionKind = step == .collectEmail ? .email : .meetings
            var served: [any ActivityCollector] = []
            for collector in collectors where try await collector.serves(environment) { served.append(collector) }
            guard !served.isEmpty else {
                // Activity arrives by import or push; nothing to fetch.
                return (.skipped, [:])
            }
            if mailboxes.isEmpty {
                mailboxes = try await platform.enrichments.mailboxes(tenant: run.tenantID, environment: run.environmentID)
            }
            let scope = try await platform.activityScope(for: environment, asOf: run.asOf)
            let importer = try platform.scope(for: environment).importer
            var counts: [String: Int] = [:]
            let queue = platform.runs
            for collector in served {
                let context = CollectionContext(
                    run: run, environment: environment, mailboxes: mailboxes, scope: scope, importer: importer,
                    progress: { progress in try? await queue.stepFinished(run, step, state: .running, counts: progress, at: Date()) })
                for (key, value) in try await collector.collect(kind, context: context) { counts[key, default: 0] += value }
            }
            return (.succeeded, counts)

        case .match:
            let stored = try await platform.enrichments.configuration(tenant: run.tenantID, environment: run.environmentID)
            let rules = stored?.configuration.rules ?? NoiseRules()
            let removed = try await platform.scope(for: environment).importer.applyExclusions(
                rules: rules)
            return (.succeeded, ["excluded_email_signals": removed.emails, "excluded_meeting_signals": removed.meetings])

        case .aggregate:
            let stored = try await platform.enrichments.configuration(tenant: run.tenantID, environment: run.environmentID)
            let spec = EnrichmentAggregator.RunSpec(
                runID: run.id, asOf: run.asOf,
                weights: stored?.configuration.weights ?? .defaults)
            let queue = platform.runs
            let pause = pauseAt
            let summary = try await platform.scope(for: environment).aggregator.aggregate(spec, noiseFigures: noise) { measured in
                // The measures are built; the score is computed in the same transaction next.
                try await queue.stepFinished(run, .aggregate, state: .succeeded, counts: ["rows": measured], at: Date())
                try await queue.stepStarted(run, .score, at: Date())
                if pause == .score { try await Task.sleep(for: .seconds(3600)) }
            }
            try await queue.stepFinished(
                run, .score, state: .succeeded,
                counts: ["enriched_customers": summary.enrichedCustomers, "score_version": summary.scoreVersion], at: Date())
            return (.succeeded, [
                "enriched_customers": summary.enrichedCustomers, "emails": summary.emailsProcessed, "meetings": summary.meetingsProcessed,
            ])

        case .score:
            // Never reached: the loop scores within the aggregate step.
            return (.succeeded, [:])

        case .publish:
            try await platform.scope(for: environment).aggregator.publish(
                runID: run.id, at: Date())
            // Segments are re-evaluated on the new result; their sizes are kept per run.
            let segments = try platform.scope(for: environment).segments
            let skipped = try await segments.evaluateAll(at: run.asOf)
            var counts = ["segments": try await segments.segments().count]
            if skipped > 0 { counts["segments_not_evaluated"] = skipped }
            return (.succeeded, counts)
        }
    }

    /// The prerequisite checks that fail for the environment's administrators.
    private func checkPrerequisites(_ run: RunRecord) async throws -> [String] {
        let grants = try await platform.control.roleAssignments(tenant: run.tenantID)
            .filter { $0.role == .owner || ($0.role == .admin && $0.environmentID == run.environmentID) }
            .map { RoleGrant(role: $0.role, environmentID: $0.environmentID) }
        let caller = Caller(identity: .principal(tenantID: run.tenantID, principalID: UUID()), keyID: Caller.systemKeyID, roles: grants)
        return try await platform.prerequisites.check(tenant: run.tenantID, environment: run.environmentID, caller: caller, at: Date())
            .filter { $0.status == .failed }.map(\.id)
    }
}
