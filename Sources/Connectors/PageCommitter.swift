import Engagement
import Foundation
import Platform

/// Commits fetched pages in groups: one import transaction for every page waiting, then their resume points.
///
/// A fetcher hands over a page and waits until it is committed before it
/// fetches the next one, so a folder's link is stored only after its records
/// are. While one group commits, the next gathers; the group size adapts to
/// how fast the database goes.
final class PageCommitter: @unchecked Sendable {
    struct Page: Sendable {
        var records: [ActivityRecord]
        var outcome: GraphSyncStore.PageOutcome
    }

    private struct Waiting {
        var page: Page
        var continuation: CheckedContinuation<Void, any Error>
    }

    private let lock = NSLock()
    private var waiting: [Waiting] = []
    private var wake: CheckedContinuation<Void, Never>?
    private var closed = false
    private var failure: (any Error)?

    private let importer: ActivityImporter
    private let scope: ActivityImporter.Scope
    private let sync: GraphSyncStore
    private let now: @Sendable () -> Date
    /// Totals of the imports, for the step's figures.
    private(set) var report = ImportReport()
    private(set) var meetingsDropped = 0
    private(set) var groups = 0

    init(importer: ActivityImporter, scope: ActivityImporter.Scope, sync: GraphSyncStore, now: @escaping @Sendable () -> Date) {
        self.importer = importer
        self.scope = scope
        self.sync = sync
        self.now = now
    }

    /// Hands over a page; returns once its records and resume point are committed.
    func submit(_ page: Page) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            lock.lock()
            if let failure {
                lock.unlock()
                continuation.resume(throwing: failure)
                return
            }
            if closed {
                lock.unlock()
                continuation.resume(throwing: CancellationError())
                return
            }
            waiting.append(Waiting(page: page, continuation: continuation))
            let sleeper = wake
            wake = nil
            lock.unlock()
            sleeper?.resume()
        }
    }

    /// No more pages will come; `run` returns after committing what waits.
    func close() {
        lock.lock()
        closed = true
        let sleeper = wake
        wake = nil
        lock.unlock()
        sleeper?.resume()
    }

    /// Commits groups until closed and drained; a failure fails every waiting and later page.
    func run() async throws {
        while true {
            await withTaskCancellationHandler {
                await waitForWork()
            } onCancel: {
                close()
            }
            let (group, finished): ([Waiting], Bool) = lock.withLock {
                let taken = waiting
                waiting.removeAll()
                return (taken, closed)
            }
            if group.isEmpty {
                if finished { return }
                continue
            }
            do {
                try await commit(group.map(\.page))
                for entry in group { entry.continuation.resume() }
            } catch {
                fail(error, alsoResuming: group)
                throw error
            }
        }
    }

    /// Returns when a page waits or the committer is closed.
    private func waitForWork() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            lock.lock()
            if !waiting.isEmpty || closed {
                lock.unlock()
                continuation.resume()
            } else {
                wake = continuation
                lock.unlock()
            }
        }
    }

    private func fail(_ error: any Error, alsoResuming group: [Waiting]) {
        lock.lock()
        failure = error
        closed = true
        let rest = waiting
        waiting.removeAll()
        lock.unlock()
        for entry in group + rest { entry.continuation.resume(throwing: error) }
    }

    private func commit(_ pages: [Page]) async throws {
        let records = pages.flatMap(\.records)
        if !records.isEmpty {
            let imported = try await importer.importRecords(scope) { consume in
                for record in records { try await consume(record) }
            }
            report.add(imported)
        }
        meetingsDropped += try await sync.record(pages.map(\.outcome), at: now())
        groups += 1
    }
}

extension ImportReport {
    /// Adds another import's figures (the account list is not kept).
    mutating func add(_ other: ImportReport) {
        recordsRead += other.recordsRead
        emailsRead += other.emailsRead
        meetingsRead += other.meetingsRead
        outsideWindow += other.outsideWindow
        emailSignalsStored += other.emailSignalsStored
        meetingSignalsStored += other.meetingSignalsStored
        duplicates += other.duplicates
        for (rule, count) in other.skipped { skipped[rule, default: 0] += count }
    }
}
