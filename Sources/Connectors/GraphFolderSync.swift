import Engagement
import Foundation
import Ingest
import Platform

/// Syncs one folder of one mailbox: from its resume point (or from scratch) to a new deltaLink.
///
/// Every page goes to the committer, which stores its records and then the
/// link after it. An expired delta state (410, or a 40x whose code says so, such as
/// `syncStateNotFound`) forgets the folder's state and starts over once. What the
/// round read (items, pages, resyncs, throttled waits, the oldest and newest item)
/// comes back as the folder's coverage.
struct GraphFolderSync: Sendable {
    let requester: GraphRequester
    let apiBase: String
    let settings: GraphSettings
    let committer: PageCommitter
    let sync: GraphSyncStore
    let runID: UUID
    let statistics: GraphStatistics

    var requests: GraphFolderRequests { GraphFolderRequests(apiBase: apiBase, settings: settings) }

    /// What a folder's round read.
    struct Coverage: Sendable {
        var folder: GraphFolder
        var complete = false
        var fullSync: Bool
        var items = 0
        var pages = 0
        var resyncs = 0
        var resyncReason: String?
        var throttled = 0
        var oldest: Date?
        var newest: Date?
    }

    /// Syncs until the deltaLink; `fresh` is the full-sync start used when the state expired.
    func run(
        mailbox: SelectedMailbox, id: String, folder: GraphFolder, from start: GraphFolderRequests.Start, stored: GraphSyncStore.ResumePoint?,
        fresh: GraphFolderRequests.Start, limiter: AsyncSemaphore
    ) async throws -> Coverage {
        let counters = GraphStatistics(parent: statistics)
        let requester = requester.counting(into: counters)
        var current = start
        var url = start.url
        var coverage = Coverage(folder: folder, fullSync: start.url == fresh.url)
        // A delta round carries the oldest and newest item of the round that started the state.
        if !coverage.fullSync {
            coverage.oldest = stored?.oldestItem
            coverage.newest = stored?.newestItem
        }
        var firstPage = coverage.fullSync
        while true {
            let bytes: [UInt8]
            do {
                bytes = try await requester.get(url, mailbox: limiter, prefer: requests.preferences)
            } catch let error as GraphError where error.code == .syncStateGone && coverage.resyncs == 0 {
                // The delta state expired: forget it and sync the folder from scratch (records already stored dedupe).
                coverage.resyncs += 1
                coverage.resyncReason = error.graphCode ?? error.status.map { "http_\($0)" }
                coverage.fullSync = true
                coverage.oldest = nil
                coverage.newest = nil
                firstPage = true
                let reason = coverage.resyncReason ?? "expired"
                counters.add {
                    $0.restarts += 1
                    $0.restartReasons[reason, default: 0] += 1
                }
                try await sync.reset(mailbox: id, folder: folder)
                current = fresh
                url = fresh.url
                continue
            }
            let page: GraphPage
            do {
                page = try GraphPageParser.parse(bytes)
            } catch {
                throw GraphError(.badResponse, "a page of \(GraphURL.path(of: url)) could not be read: \(error)")
            }
            counters.add {
                $0.pages += 1
                $0.removed += page.removedIDs.count
            }
            coverage.pages += 1
            coverage.items += page.records.count
            for record in page.records {
                let moment = Self.moment(of: record)
                if let moment {
                    coverage.oldest = min(coverage.oldest ?? moment, moment)
                    coverage.newest = max(coverage.newest ?? moment, moment)
                }
            }
            let next = page.nextLink
            guard let link = next ?? page.deltaLink else {
                throw GraphError(.badResponse, "a page of \(GraphURL.path(of: url)) has neither @odata.nextLink nor @odata.deltaLink")
            }
            var outcome = GraphSyncStore.PageOutcome(
                mailbox: id, folder: folder,
                resume: .init(
                    link: link, complete: next == nil, runID: runID, rangeStart: current.rangeStart, rangeEnd: current.rangeEnd,
                    oldestItem: coverage.oldest, newestItem: coverage.newest),
                startsRound: firstPage)
            firstPage = false
            if folder == .calendar {
                let meetings = page.records.compactMap { record -> ActivityMeeting? in
                    if case .meeting(let meeting) = record { return meeting }
                    return nil
                }
                let items = GraphEventItems.pair(bytes, meetings: meetings, mailbox: mailbox.address)
                outcome.eventItems = items.map {
                    GraphSyncStore.EventItem(mailbox: id, itemID: $0.id, meeting: $0.meeting, organized: $0.organized)
                }
                outcome.removedEventIDs = page.removedIDs
            }
            // Message removals are not applied: a message deleted or moved out of a folder was still sent (docs/graph.md).
            try await committer.submit(PageCommitter.Page(records: page.records, outcome: outcome))
            guard let next else {
                coverage.complete = true
                coverage.throttled = counters.snapshot.throttled
                return coverage
            }
            url = next
        }
    }

    /// When a record happened: a message's sending, a meeting's start.
    static func moment(of record: ActivityRecord) -> Date? {
        switch record {
        case .email(let email): email.sentAt
        case .meeting(let meeting): meeting.start
        }
    }
}
