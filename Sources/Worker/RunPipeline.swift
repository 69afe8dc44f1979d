import Engagement
import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import Platform

/// Executes one claimed run step by step, recording each step's state, counts and error.
///
/// Steps that already succeeded in an earlier attempt are not repeated (a run
/// taken over after a lost worker resumes); every step is idempotent, so one
/// interrupted halfway simply runs again. The steps run in stages: every stage
/// runs its own steps, and the aggregate stage runs two, the measures and the
/// score, in one transaction (they stand or fall together).
struct RunPipeline: Sendable {
    let platform: Platform
    let region: Region
    let collectors: [any ActivityCollector]
    let exporters: [any ResultExporter]
    let logger: Logger
    /// Test hook: a step name at which the worker stops (to be killed there).
    let pauseAt: RunStep?

    /// A unit of work of the pipeline and the steps it records.
    enum Stage: CaseIterable {
        case resolveMailboxes, collectEmail, collectMeetings, match, aggregateAndScore, publish, export, notify

        var steps: [RunStep] {
            switch self {
            case .resolveMailboxes: [.resolveMailboxes]
            case .collectEmail: [.collectEmail]
            case .collectMeetings: [.collectMeetings]
            case .match: [.match]
            case .aggregateAndScore: [.aggregate, .score]
            case .publish: [.publish]
            case .export: [.export]
            case .notify: [.notify]
            }
        }
    }

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
        for stage in Stage.allCases {
            try Task.checkCancellation()
            // SIGTERM: the step at hand has finished; hand the run back before the next one.
            if Task.isShuttingDownGracefully { throw CancellationError() }
            // A stage is done when its last step is; resolving the mailboxes always runs (they are not stored).
            if stage != .resolveMailboxes, done(stage.steps.last!) { continue }
            let step = stage.steps[0]
            try await queue.stepStarted(run, step, at: platform.now())
            if step == pauseAt {
                logger.warning("pausing at step for a test", metadata: ["step": "\(step.rawValue)"])
                try await Task.sleep(for: .seconds(3600))
            }
            var current = step
            do {
                let (state, counts, error) = try await perform(stage, run: run, environment: environment, mailboxes: &mailboxes, noise: &noise) {
                    current = $0
                }
                try await queue.stepFinished(run, current, state: state, counts: counts, error: error, at: platform.now())
            } catch {
                let message = RunFailure.message(for: error)
                logger.warning("run step failed", metadata: ["run": "\(run.id)", "step": "\(current.rawValue)", "error": "\(error)"])
                try? await queue.stepFinished(run, current, state: .failed, error: message, at: platform.now())
                throw error
            }
        }
    }

    /// Runs one stage; returns the state, counts and (for a failed export) error of its last step. `entered` is told each later step it starts.
    private func perform(
        _ stage: Stage, run: RunRecord, environment: ControlStore.Environment, mailboxes: inout [SelectedMailbox], noise: inout [String: Int],
        entered: (RunStep) -> Void
    ) async throws -> (RunRecord.Step.State, [String: Int], String?) {
        switch stage {
        case .export:
            return try await export(run: run, environment: environment)
        case .notify:
            return try await notify(run: run, environment: environment)
        default:
            let (state, counts) = try await performCore(stage, run: run, environment: environment, mailboxes: &mailboxes, noise: &noise, entered: entered)
            return (state, counts, nil)
        }
    }

    private func performCore(
        _ stage: Stage, run: RunRecord, environment: ControlStore.Environment, mailboxes: inout [SelectedMailbox], noise: inout [String: Int],
        entered: (RunStep) -> Void
    ) async throws -> (RunRecord.Step.State, [String: Int]) {
        switch stage {
        case .resolveMailboxes:
            if run.trigger == .command {
                return try await resolveForCommand(run, mailboxes: &mailboxes)
            }
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
            let step = stage.steps[0]
            let kind: CollectionKind = stage == .collectEmail ? .email : .meetings
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
                    progress: { progress in try? await queue.stepFinished(run, step, state: .running, counts: progress, at: platform.now()) })
                for (key, value) in try await collector.collect(kind, context: context) { counts[key, default: 0] += value }
            }
            return (.succeeded, counts)

        case .match:
            let stored = try await platform.enrichments.configuration(tenant: run.tenantID, environment: run.environmentID)
            let rules = stored?.configuration.rules ?? NoiseRules()
            let removed = try await platform.scope(for: environment).importer.applyExclusions(
                rules: rules)
            return (.succeeded, ["excluded_email_signals": removed.emails, "excluded_meeting_signals": removed.meetings])

        case .aggregateAndScore:
            let stored = try await platform.enrichments.configuration(tenant: run.tenantID, environment: run.environmentID)
            let spec = EnrichmentAggregator.RunSpec(runID: run.id, asOf: run.asOf, weights: stored?.configuration.weights ?? .defaults)
            let queue = platform.runs
            let pause = pauseAt
            let scoring = ScoringStarted()
            let summary: RunSummary
            do {
                summary = try await platform.scope(for: environment).aggregator.aggregate(spec, noiseFigures: noise) { measured in
                    // The measures are built; the score is computed in the same transaction next.
                    try await queue.stepFinished(run, .aggregate, state: .succeeded, counts: ["rows": measured], at: platform.now())
                    try await queue.stepStarted(run, .score, at: platform.now())
                    scoring.mark()
                    if pause == .score { try await Task.sleep(for: .seconds(3600)) }
                }
            } catch {
                if scoring.started { entered(.score) }
                throw error
            }
            entered(.score)
            try await queue.stepFinished(
                run, .aggregate, state: .succeeded,
                counts: ["enriched_customers": summary.enrichedCustomers, "emails": summary.emailsProcessed, "meetings": summary.meetingsProcessed],
                at: platform.now())
            return (.succeeded, ["enriched_customers": summary.enrichedCustomers, "score_version": summary.scoreVersion])

        case .publish:
            try await platform.scope(for: environment).aggregator.publish(
                runID: run.id, at: platform.now())
            // Segments are re-evaluated on the new result; their sizes are kept per run.
            let segments = try platform.scope(for: environment).segments
            let skipped = try await segments.evaluateAll(at: run.asOf)
            var counts = ["segments": try await segments.segments().count]
            if skipped > 0 { counts["segments_not_evaluated"] = skipped }
            return (.succeeded, counts)
        case .export, .notify:
            preconditionFailure("performed by perform(_:)")
        }
    }

    /// Writes the published result to each exporter serving the environment. A failure is the step's, not the
    /// run's: the result stays published, and the next run sends what is still missing.
    private func export(run: RunRecord, environment: ControlStore.Environment) async throws -> (RunRecord.Step.State, [String: Int], String?) {
        var served: [any ResultExporter] = []
        for exporter in exporters where try await exporter.serves(environment) { served.append(exporter) }
        guard !served.isEmpty else { return (.skipped, [:], nil) }
        let queue = platform.runs
        let moment = platform.now
        var counts: [String: Int] = [:]
        for exporter in served {
            do {
                let figures = try await exporter.export(environment) { progress in
                    try? await queue.stepFinished(run, .export, state: .running, counts: progress, at: moment())
                }
                for (key, value) in figures { counts[key, default: 0] += value }
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                if Task.isCancelled { throw CancellationError() }
                logger.warning("export failed", metadata: ["run": "\(run.id)", "error": "\(error)"])
                let latest = try await queue.run(tenant: run.tenantID, id: run.id)?.steps.first { $0.step == .export }?.counts ?? [:]
                return (.failed, latest.merging(counts) { $1 }, RunFailure.message(for: error))
            }
        }
        return (.succeeded, counts, nil)
    }

    /// Queues the run's summary for the environment's webhook, signed when it is sent; never a row of data.
    private func notify(run: RunRecord, environment: ControlStore.Environment) async throws -> (RunRecord.Step.State, [String: Int], String?) {
        guard try await platform.webhooks.webhook(tenant: run.tenantID, environment: run.environmentID) != nil else { return (.skipped, [:], nil) }
        let body = try await RunAnnouncement.body(run: run, environment: environment, platform: platform)
        let queued = try await platform.webhooks.enqueue(
            tenant: run.tenantID, environment: run.environmentID, event: RunAnnouncement.event, body: body, at: platform.now())
        return (queued ? .succeeded : .skipped, ["deliveries": queued ? 1 : 0], nil)
    }

    /// `rapport enrich`: an operator runs the pipeline over activity already in Rapport (imported), in its own process.
    ///
    /// It collects nothing (no collector is given), so the consent and prerequisite gates of a
    /// collecting run do not apply; the configured mailboxes, rules and weights do, when there are any.
    private func resolveForCommand(_ run: RunRecord, mailboxes: inout [SelectedMailbox]) async throws -> (RunRecord.Step.State, [String: Int]) {
        guard try await platform.enrichments.configuration(tenant: run.tenantID, environment: run.environmentID) != nil else {
            // No enrichment configured: every address of the tenant's domains counts as selected, as on import.
            return (.skipped, [:])
        }
        mailboxes = try await platform.enrichments.mailboxes(tenant: run.tenantID, environment: run.environmentID)
        return (.succeeded, ["mailboxes": mailboxes.count])
    }

    /// The prerequisite checks that fail for the environment's administrators.
    private func checkPrerequisites(_ run: RunRecord) async throws -> [String] {
        let grants = try await platform.control.roleAssignments(tenant: run.tenantID)
            .filter { $0.role == .owner || ($0.role == .admin && $0.environmentID == run.environmentID) }
            .map { RoleGrant(role: $0.role, environmentID: $0.environmentID) }
        let caller = Caller(identity: .principal(tenantID: run.tenantID, principalID: UUID()), keyID: Caller.systemKeyID, roles: grants)
        return try await platform.prerequisites.check(
            tenant: run.tenantID, environment: run.environmentID, caller: caller, at: platform.now(), probing: false)
            .filter { $0.status == .failed && !Prerequisites.advisory.contains($0.id) }.map(\.id)
    }
}

/// Whether the score step of an aggregation has started (told from inside its transaction).
private final class ScoringStarted: Sendable {
    private let flag = Atomic<Bool>(false)
    func mark() { flag.store(true, ordering: .releasing) }
    var started: Bool { flag.load(ordering: .acquiring) }
}
