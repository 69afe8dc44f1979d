import Foundation
import Platform

/// Collects one mailbox's folders for a run and records how it went: the mailbox's outcome and each folder's coverage.
struct MailboxJob: Sendable {
    let kind: GraphCollectionKind
    let run: RunRecord
    let tenant: UUID
    let folderSync: GraphFolderSync
    let points: [String: [GraphFolder: GraphSyncStore.ResumePoint]]
    let windowStart: Date
    let rangeEnd: Date
    let now: Date
    /// The clock outcomes are stamped with.
    let clock: @Sendable () -> Date
    /// The calendar range's length ahead; a calendar round restarts when less than half of it is left.
    let horizon: TimeInterval

    func collect(_ mailbox: SelectedMailbox, recorder: GraphRunMailboxStore) async throws -> GraphRunMailboxStore.State {
        let (state, detail, coverages) = try await sync(mailbox)
        for coverage in coverages {
            try await recorder.recordFolder(
                tenant: tenant, run: run.id,
                GraphRunMailboxStore.FolderEntry(
                    address: mailbox.address, folder: coverage.folder.rawValue, complete: coverage.complete, fullSync: coverage.fullSync,
                    items: coverage.items, pages: coverage.pages, resyncs: coverage.resyncs, resyncReason: coverage.resyncReason,
                    throttled: coverage.throttled, oldestItem: coverage.oldest, newestItem: coverage.newest, updatedAt: clock()))
        }
        try await recorder.record(
            tenant: tenant, run: run.id, kind: kind.rawValue, address: mailbox.address, directoryID: mailbox.directoryID, state: state,
            detail: detail, at: clock())
        return state
    }

    /// Syncs every folder; a refused, missing or full mailbox ends with its outcome (the other folders' coverage is kept).
    private func sync(_ mailbox: SelectedMailbox) async throws -> (GraphRunMailboxStore.State, String?, [GraphFolderSync.Coverage]) {
        guard let id = mailbox.directoryID else {
            return (.notFound, "the address did not resolve to a user in the directory", [])
        }
        let limiter = AsyncSemaphore(permits: max(1, folderSync.settings.mailboxConcurrency))
        let stored = points[id] ?? [:]
        let outcomes = try await withThrowingTaskGroup(of: Result<GraphFolderSync.Coverage, GraphError>?.self) { group in
            for folder in kind.folders {
                let point = stored[folder]
                // Completed earlier in this very run (it was interrupted): nothing to fetch.
                if let point, point.complete, point.runID == run.id { continue }
                let fresh = folderSync.requests.initial(mailbox: id, folder: folder, rangeStart: windowStart, rangeEnd: rangeEnd)
                let start = resume(point, folder: folder) ?? fresh
                group.addTask {
                    do {
                        return .success(
                            try await folderSync.run(mailbox: mailbox, id: id, folder: folder, from: start, stored: point, fresh: fresh, limiter: limiter))
                    } catch let error as GraphError where [.forbidden, .notFound, .quotaExceeded].contains(error.code) {
                        return .failure(error)
                    }
                }
            }
            var outcomes: [Result<GraphFolderSync.Coverage, GraphError>] = []
            for try await outcome in group { if let outcome { outcomes.append(outcome) } }
            return outcomes
        }
        let coverages = outcomes.compactMap { try? $0.get() }
        let failures = outcomes.compactMap { outcome -> GraphError? in
            if case .failure(let error) = outcome { return error }
            return nil
        }
        if let failure = failures.first(where: { $0.code == .forbidden }) ?? failures.first(where: { $0.code == .quotaExceeded })
            ?? failures.first
        {
            let state: GraphRunMailboxStore.State = switch failure.code {
            case .forbidden: .forbidden
            case .quotaExceeded: .quotaExceeded
            default: .notFound
            }
            return (state, failure.message, coverages)
        }
        return (.done, nil, coverages)
    }

    /// Where a folder continues, or nil for a full sync (no state, or a calendar range running out).
    private func resume(_ point: GraphSyncStore.ResumePoint?, folder: GraphFolder) -> GraphFolderRequests.Start? {
        guard let point else { return nil }
        if folder == .calendar, point.complete, (point.rangeEnd ?? .distantPast) < now.addingTimeInterval(horizon / 2) {
            return nil
        }
        return GraphFolderRequests.Start(url: point.link, rangeStart: point.rangeStart, rangeEnd: point.rangeEnd)
    }
}
