import Engagement
import Foundation
import Platform
import Synchronization

/// Commits fetched pages in groups: one import transaction for every page waiting, then their resume points.
///
/// A fetcher hands over a page and waits until it is committed before it
/// fetches the next one, so a folder's link is stored only after its records
/// are. While one group commits, the next gathers; the group size adapts to
/// how fast the database goes.
final class PageCommitter: Sendable {
    struct Page: Sendable {
        var records: [ActivityRecord]
        var outcome: GraphSyncStore.PageOutcome
    }

    private struct Waiting {
        var page: Page
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var waiting: [Waiting] = []
        var wake: CheckedContinuation<Void, Never>?
        var closed = false
        var failure: (any Error)?
        var report = ImportReport()
        var meetingsDropped = 0
        var groups = 0
    }

    private let state = Mutex(State())
    private let importer: ActivityImporter
    private let scope: ActivityImporter.Scope
    private let sync: GraphSyncStore
    private let statistics: GraphStatistics
    private let now: @Sendable () -> Date
    /// Totals of the imports, for the step's figures.
    var report: ImportReport { state.withLock { $0.report } }
    var meetingsDropped: Int { state.withLock { $0.meetingsDropped } }
    var groups: Int { state.withLock { $0.groups } }

    init(
        importer: ActivityImporter, scope: ActivityImporter.Scope, sync: GraphSyncStore, statistics: GraphStatistics,
        now: @escaping @Sendable () -> Date
    ) {
        self.importer = importer
        self.scope = scope
        self.sync = sync
        self.statistics = statistics
        self.now = now
    }

    /// Hands over a page; returns once its records and resume point are committed.
    func submit(_ page: Page) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let (refusal, sleeper): ((any Error)?, CheckedContinuation<Void, Never>?) = state.withLock { state in
                if let failure = state.failure { return (failure, nil) }
                if state.closed { return (CancellationError(), nil) }
                state.waiting.append(Waiting(page: page, continuation: continuation))
                let sleeper = state.wake
                state.wake = nil
                return (nil, sleeper)
            }
            if let refusal { continuation.resume(throwing: refusal) }
            sleeper?.resume()
        }
    }

    /// No more pages will come; `run` returns after committing what waits.
    func close() {
        let sleeper = state.withLock { state in
            state.closed = true
            let sleeper = state.wake
            state.wake = nil
            return sleeper
        }
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
            let (group, finished): ([Waiting], Bool) = state.withLock { state in
                let taken = state.waiting
                state.waiting.removeAll()
                return (taken, state.closed)
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
            let ready = state.withLock { state in
                if !state.waiting.isEmpty || state.closed { return true }
                state.wake = continuation
                return false
            }
            if ready { continuation.resume() }
        }
    }

    private func fail(_ error: any Error, alsoResuming group: [Waiting]) {
        let rest = state.withLock { state in
            state.failure = error
            state.closed = true
            let rest = state.waiting
            state.waiting.removeAll()
            return rest
        }
        for entry in group + rest { entry.continuation.resume(throwing: error) }
    }

    private func commit(_ pages: [Page]) async throws {
        let records = try await organizerCopiesFirst(pages)
        if !records.isEmpty {
            let imported = try await importer.importRecords(scope) { consume in
                for record in records { try await consume(record) }
            }
            state.withLock { $0.report.add(imported) }
        }
        let dropped = try await sync.record(pages.map(\.outcome), at: now())
        state.withLock { state in
            state.meetingsDropped += dropped
            state.groups += 1
        }
    }
}

extension PageCommitter {
    /// The records to import, where a meeting's organizer's copy speaks for it.
    ///
    /// In Exchange an attendee's copy of a meeting knows only its owner's response (every other
    /// attendee shows `none`); only the organizer's copy says who declined
    /// (learn.microsoft.com/graph/api/resources/responsestatus). So an organizer's copy replaces the
    /// signals earlier copies of the meeting left, and an attendee's copy of a meeting whose
    /// organizer's copy is on record (or in this batch) is left out. A meeting no selected mailbox
    /// organizes, or whose organizer's calendar cannot be read, is known from the attendees' copies.
    func organizerCopiesFirst(_ pages: [Page]) async throws -> [ActivityRecord] {
        let items = pages.flatMap(\.outcome.eventItems)
        let organizerCopies = items.filter(\.organized).map(\.meeting)
        let attendeeCopies = items.filter { !$0.organized }.map(\.meeting)
        guard !organizerCopies.isEmpty || !attendeeCopies.isEmpty else { return pages.flatMap(\.records) }
        let spoken = try await sync.occurrencesWithOrganizerCopy(attendeeCopies)
            .union(organizerCopies.map(ActivityClassifier.occurrenceKey(of:)))
        let organizerValues = Set(organizerCopies)
        var left = 0
        let records = pages.flatMap(\.records).filter { record in
            guard case .meeting(let meeting) = record, !organizerValues.contains(meeting) else { return true }
            guard spoken.contains(ActivityClassifier.occurrenceKey(of: meeting)) else { return true }
            left += 1
            return false
        }
        if left > 0 { statistics.add { $0.copiesLeftToOrganizer += left } }
        try await sync.clearMeetingSignals(of: organizerCopies)
        return records
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
