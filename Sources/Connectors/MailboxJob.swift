import Foundation
import Platform

/// Collects one mailbox's folders for a run and records how it went.
struct MailboxJob: Sendable {
    let kind: GraphCollectionKind
    let run: RunRecord
    let tenant: UUID
    let folderSync: GraphFolderSync
    let points: [String: [GraphFolder: GraphSyncStore.ResumePoint]]
    let windowStart: Date
    let rangeEnd: Date
    let now: Date
    /// The platform's clock, for what is recorded as the job goes.
    let clock: @Sendable () -> Date
    /// The calendar range's length ahead; a calendar round restarts when less than half of it is left.
    let horizon: TimeInterval

    func collect(_ mailbox: SelectedMailbox, recorder: GraphRunMailboxStore) async throws -> GraphRunMailboxStore.State {
        let (state, detail) = try await sync(mailbox)
        try await recorder.record(
            tenant: tenant, run: run.id, kind: kind.rawValue, address: mailbox.address, directoryID: mailbox.directoryID, state: state,
            detail: detail, at: clock())
        return state
    }

    private func sync(_ mailbox: SelectedMailbox) async throws -> (GraphRunMailboxStore.State, String?) {
        guard let id = mailbox.directoryID else {
            return (.notFound, "the address did not resolve to a user in the directory")
        }
        let limiter = AsyncSemaphore(permits: max(1, folderSync.settings.mailboxConcurrency))
        let stored = points[id] ?? [:]
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for folder in kind.folders {
                    let point = stored[folder]
                    // Completed earlier in this very run (it was interrupted): nothing to fetch.
                    if let point, point.complete, point.runID == run.id { continue }
                    let fresh = folderSync.requests.initial(mailbox: id, folder: folder, rangeStart: windowStart, rangeEnd: rangeEnd)
                    let start = resume(point, folder: folder) ?? fresh
                    group.addTask {
                        try await folderSync.run(mailbox: mailbox, id: id, folder: folder, from: start, fresh: fresh, limiter: limiter)
                    }
                }
                try await group.waitForAll()
            }
            return (.done, nil)
        } catch let error as GraphError where error.code == .forbidden {
            return (.forbidden, error.message)
        } catch let error as GraphError where error.code == .notFound {
            return (.notFound, error.message)
        }
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
