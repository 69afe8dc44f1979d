import Engagement
import Foundation
import Ingest
import Store

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

    /// Message fields requested: headers only, never the body or subject.
    static let messageFields = [
        "id", "internetMessageId", "conversationId", "from", "sender", "toRecipients", "ccRecipients", "bccRecipients",
        "sentDateTime", "receivedDateTime", "internetMessageHeaders",
    ]

    /// Where a folder's round starts and which range it covers.
    struct Start: Sendable {
        var url: String
        var rangeStart: Date
        var rangeEnd: Date?
    }

    var preferences: [String] {
        ["odata.maxpagesize=\(settings.pageSize)", "IdType=\"ImmutableId\"", "outlook.timezone=\"UTC\""]
    }

    /// The first request of a full sync: mail received since `rangeStart`, or the calendar over the range.
    func initial(mailbox id: String, folder: GraphFolder, rangeStart: Date, rangeEnd: Date) -> Start {
        let user = "\(apiBase)/users/\(GraphURL.encode(id))"
        switch folder {
        case .inbox, .sentItems:
            let filter = "receivedDateTime ge \(Self.timestamp(rangeStart))"
            return Start(
                url: "\(user)/mailFolders/\(folder.rawValue)/messages/delta?$select=\(Self.messageFields.joined(separator: ","))&$filter=\(GraphURL.encode(filter))",
                rangeStart: rangeStart, rangeEnd: nil)
        case .calendar:
            return Start(
                url: "\(user)/calendarView/delta?startDateTime=\(Self.timestamp(rangeStart))&endDateTime=\(Self.timestamp(rangeEnd))",
                rangeStart: rangeStart, rangeEnd: rangeEnd)
        }
    }

    /// Syncs until the deltaLink; `fresh` is the full-sync start used after a 410.
    func run(mailbox: SelectedMailbox, id: String, folder: GraphFolder, from start: Start, fresh: Start, limiter: AsyncSemaphore) async throws {
        var current = start
        var url = start.url
        var restarted = false
        while true {
            let bytes: [UInt8]
            do {
                bytes = try await requester.get(url, mailbox: limiter, prefer: preferences)
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

    static func timestamp(_ date: Date) -> String {
        RFC3339.string(Int(date.timeIntervalSince1970.rounded(.down)))
    }
}
