import Foundation
import Ingest
import Platform

/// The requests of a folder's delta sync: the first URL of a full sync and the preferences every request carries.
struct GraphFolderRequests: Sendable {
    let apiBase: String
    let settings: GraphSettings

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

    /// The first request of a full sync: every message of the folder, or the calendar over the range.
    ///
    /// Mail is asked for without `$filter`: "applying `$filter` in a delta query returns only up
    /// to 5,000 messages" (learn.microsoft.com/graph/delta-query-messages), and a busy mailbox
    /// receives more than that in a year. Messages before the window are dropped on import.
    /// `calendarView/delta` takes no `$select` or `$filter` at all.
    func initial(mailbox id: String, folder: GraphFolder, rangeStart: Date, rangeEnd: Date) -> Start {
        let user = "\(apiBase)/users/\(GraphURL.encode(id))"
        switch folder {
        case .inbox, .sentItems:
            return Start(
                url: "\(user)/mailFolders/\(folder.rawValue)/messages/delta?$select=\(Self.messageFields.joined(separator: ","))",
                rangeStart: rangeStart, rangeEnd: nil)
        case .calendar:
            return Start(
                url: "\(user)/calendarView/delta?startDateTime=\(Self.timestamp(rangeStart))&endDateTime=\(Self.timestamp(rangeEnd))",
                rangeStart: rangeStart, rangeEnd: rangeEnd)
        }
    }

    static func timestamp(_ date: Date) -> String {
        RFC3339.string(Int(date.timeIntervalSince1970.rounded(.down)))
    }
}
