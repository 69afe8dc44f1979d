import Engagement
import Foundation
import Ingest
import Platform

/// Syncs one folder of one mailbox: from its resume point (or from scratch) to a new deltaLink.
///
/// Every page goes to the committer, which stores its records and then the
/// link after it; a 410 forgets the folder's state and starts over once.
struct GraphFolderSync: Sendable {
    let requester: GraphRequester
    let apiBase: String
    let settings: GraphSettings
    let committer: PageCommitter
    let sync: GraphSyncStore
    let runID: UUID
    let statistics: GraphStatistics

    var requests: GraphFolderRequests { GraphFolderRequests(apiBase: apiBase, settings: settings) }

    /// Syncs until the deltaLink; `fresh` is the full-sync start used after a 410.
    func run(mailbox: SelectedMailbox, id: String, folder: GraphFolder, from start: GraphFolderRequests.Start, fresh: GraphFolderRequests.Start, limiter: AsyncSemaphore) async throws {
        var current = start
        var url = start.url
        var restarted = false
        while true {
            let bytes: [UInt8]
            do {
                bytes = try await requester.get(url, mailbox: limiter, prefer: requests.preferences)
            } catch let error as GraphError where error.code == .syncStateGone && !restarted {
                // The delta state expired: forget it and sync the folder from scratch (records already stored dedupe).
                restarted = true
                statistics.add { $0.restarts += 1 }
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
            statistics.add {
                $0.pages += 1
                $0.removed += page.removedIDs.count
            }
            let next = page.nextLink
            guard let link = next ?? page.deltaLink else {
                throw GraphError(.badResponse, "a page of \(GraphURL.path(of: url)) has neither @odata.nextLink nor @odata.deltaLink")
            }
            var outcome = GraphSyncStore.PageOutcome(
                mailbox: id, folder: folder,
                resume: .init(link: link, complete: next == nil, runID: runID, rangeStart: current.rangeStart, rangeEnd: current.rangeEnd))
            if folder == .calendar {
                let meetings = page.records.compactMap { record -> ActivityMeeting? in
                    if case .meeting(let meeting) = record { return meeting }
                    return nil
                }
                outcome.eventItems = GraphEventItems.pair(bytes, meetings: meetings, mailbox: mailbox.address).map {
                    GraphSyncStore.EventItem(mailbox: id, itemID: $0.id, meeting: $0.meeting, organized: $0.organized)
                }
                outcome.removedEventIDs = page.removedIDs
            }
            // Message removals are not applied: a message deleted or moved out of a folder was still sent (docs/graph.md).
            try await committer.submit(PageCommitter.Page(records: page.records, outcome: outcome))
            guard let next else { return }
            url = next
        }
    }

}
