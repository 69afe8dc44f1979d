import AsyncHTTPClient
import Engagement
import Foundation
import Logging
import NIOCore
import Platform
import ServiceLifecycle

/// Collects mail and calendar metadata of an environment's selected mailboxes from Microsoft Graph.
///
/// Serves environments whose tenant has an app registration. The email step
/// first resolves the configured addresses and groups through Graph into the
/// environment's `Office_UserEntity`, then syncs Inbox and Sent Items of every
/// mailbox; the meetings step syncs each calendar. Each folder continues from
/// its stored delta link, pages are committed in groups, and a link is stored
/// only after its page's records, so an interrupted run resumes where it stopped.
public struct GraphCollector: Sendable {
    let platform: Platform
    let logger: Logger
    let owner: HTTPClientOwner
    let global: AsyncSemaphore
    let sessions = GraphSessions()

    public init(platform: Platform, logger: Logger) {
        self.platform = platform
        self.logger = logger
        let settings = platform.graph
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .seconds(10), read: settings.requestTimeout.timeAmount)
        configuration.connectionPool = .init(
            idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(8, settings.maximumConcurrency))
        configuration.decompression = .enabled(limit: .none)
        self.owner = HTTPClientOwner(HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration))
        self.global = AsyncSemaphore(permits: max(1, settings.maximumConcurrency))
    }

    var settings: GraphSettings { platform.graph }
    var http: HTTPClient { owner.client }

    /// Closes the HTTP connections; call once when the process stops collecting.
    public func shutdown() async throws {
        try await http.shutdown()
    }

    /// Whether the environment's tenant has a Graph app registration.
    public func serves(_ environment: ControlStore.Environment) async throws -> Bool {
        try await platform.graphRegistrations.registration(tenant: environment.tenantID) != nil
    }

    /// A requester for one collection, with its own statistics.
    public func requester(for credentials: GraphCredentials, statistics: GraphStatistics = GraphStatistics()) async -> GraphRequester {
        let tokens = await sessions.tokens(for: credentials, settings: settings, http: http, now: platform.now, logger: logger)
        return GraphRequester(http: http, tokens: tokens, settings: settings, global: global, statistics: statistics, logger: logger)
    }

    /// Collects one kind of activity for a run; returns the step's figures.
    public func collect(
        _ kind: GraphCollectionKind, run: RunRecord, environment: ControlStore.Environment, importer: ActivityImporter,
        progress: @escaping @Sendable ([String: Int]) async -> Void
    ) async throws -> [String: Int] {
        guard let credentials = try await platform.graphRegistrations.credentials(tenant: environment.tenantID) else {
            throw GraphError(.credentialsRejected, "the tenant has no Microsoft Graph app registration")
        }
        let statistics = GraphStatistics()
        let requester = await requester(for: credentials, statistics: statistics)
        let apiBase = settings.apiBase(for: credentials.registration.cloud)
        var figures: [String: Int] = [:]
        let mailboxes: [SelectedMailbox]
        if kind == .email {
            let resolution = try await resolveDirectory(environment: environment, requester: requester, apiBase: apiBase)
            mailboxes = resolution.mailboxes
            figures["directory_unknown_addresses"] = resolution.unknownAddresses.count
            figures["directory_unknown_groups"] = resolution.unknownGroups.count
            figures["directory_foreign_members"] = resolution.foreignMembers
        } else {
            mailboxes = try await platform.enrichments.mailboxes(tenant: environment.tenantID, environment: environment.id)
        }
        // The scope follows the mailboxes just resolved; records up to the end of the calendar range are
        // kept (a meeting scheduled ahead counts once it has started, and is never fetched twice).
        let moment = platform.now()
        var scope = try await platform.activityScope(for: environment, asOf: run.asOf)
        let rangeEnd = moment.addingTimeInterval(Double(settings.calendarHorizonDays) * 86_400)
        scope.windowEnd = rangeEnd
        let sync = try platform.scope(for: environment).graphSync
        let points = try await sync.resumePoints()
        let committer = PageCommitter(importer: importer, scope: scope, sync: sync, statistics: statistics, now: platform.now)
        let folderSync = GraphFolderSync(
            requester: requester, apiBase: apiBase, settings: settings, committer: committer, sync: sync, runID: run.id, statistics: statistics)
        let tracker = GraphProgress(total: mailboxes.count, statistics: statistics, publish: progress)
        await progress(tracker.figures)

        let job = MailboxJob(
            kind: kind, run: run, tenant: environment.tenantID, folderSync: folderSync, points: points, windowStart: scope.windowStart,
            rangeEnd: rangeEnd, now: moment, clock: platform.now, horizon: Double(settings.calendarHorizonDays) * 86_400)
        let states = try await withThrowingTaskGroup(of: [GraphRunMailboxStore.State].self) { outer in
            outer.addTask {
                try await committer.run()
                return []
            }
            var states: [GraphRunMailboxStore.State] = []
            do {
                states = try await withThrowingTaskGroup(of: GraphRunMailboxStore.State.self) { group in
                    var results: [GraphRunMailboxStore.State] = []
                    var pending = mailboxes.makeIterator()
                    let window = max(1, settings.maximumConcurrency)
                    func startNext() -> Bool {
                        guard let mailbox = pending.next() else { return false }
                        group.addTask {
                            let state = try await job.collect(mailbox, recorder: platform.graphRunMailboxes)
                            await tracker.finished(state)
                            return state
                        }
                        return true
                    }
                    for _ in 0..<window where !startNext() { break }
                    while let state = try await group.next() {
                        results.append(state)
                        _ = startNext()
                    }
                    return results
                }
            } catch {
                committer.close()
                throw error
            }
            committer.close()
            try await outer.waitForAll()
            return states
        }
        figures.merge(tracker.figures) { _, new in new }
        let report = committer.report
        figures[kind == .email ? "emails" : "meetings"] = kind == .email ? report.emailsRead : report.meetingsRead
        figures["signals_stored"] = report.emailSignalsStored + report.meetingSignalsStored
        figures["duplicates"] = report.duplicates
        figures["outside_window"] = report.outsideWindow
        if kind == .meetings { figures["meetings_cancelled"] = committer.meetingsDropped + (report.skipped["cancelledMeeting"] ?? 0) }
        let usable = states.filter { $0 != .notFound }
        if !usable.isEmpty, usable.allSatisfy({ $0 == .forbidden }) {
            throw GraphError(
                .forbidden,
                "Microsoft Graph refused every mailbox (403): the app needs the Mail.Read and Calendars.Read application permissions with admin consent, and no access policy may exclude the selected mailboxes")
        }
        logger.info(
            "graph collection finished",
            metadata: ["run": "\(run.id)", "kind": "\(kind.rawValue)", "mailboxes": "\(mailboxes.count)", "requests": "\(statistics.snapshot.requests)"])
        return figures
    }

    /// Resolves the configuration through Graph and stores the result as the environment's mailboxes.
    func resolveDirectory(
        environment: ControlStore.Environment, requester: GraphRequester, apiBase: String
    ) async throws -> GraphDirectoryResolver.Resolution {
        guard let stored = try await platform.enrichments.configuration(tenant: environment.tenantID, environment: environment.id) else {
            throw GraphError(.directory, "the environment has no enrichment configuration")
        }
        let tenant = try await platform.control.tenant(environment.tenantID)
        let resolution = try await GraphDirectoryResolver(requester: requester, apiBase: apiBase).resolve(
            addresses: stored.configuration.addresses, groups: stored.configuration.groups, tenantDomains: tenant.emailDomains)
        let count = resolution.mailboxes.count
        guard (EnrichmentStore.minimumMailboxes...EnrichmentStore.maximumMailboxes).contains(count) else {
            throw GraphError(
                .directory,
                "the configured addresses and groups now resolve to \(count) mailboxes in the directory; \(EnrichmentStore.minimumMailboxes) to \(EnrichmentStore.maximumMailboxes) are needed"
                    + (resolution.unknownGroups.isEmpty ? "" : " (unknown groups: \(resolution.unknownGroups.joined(separator: ", ")))"))
        }
        try await platform.enrichments.replaceMailboxes(tenant: environment.tenantID, environment: environment.id, with: resolution.mailboxes)
        return resolution
    }
}

/// The collector owns an HTTP client: as a service of the worker's group it closes the client
/// when the group shuts down, after the worker that uses it.
extension GraphCollector: Service {
    public func run() async throws {
        try? await gracefulShutdown()
        try? await shutdown()
    }
}
