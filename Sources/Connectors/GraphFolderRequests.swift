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

    static func timestamp(_ date: Date) -> String {
        RFC3339.string(Int(date.timeIntervalSince1970.rounded(.down)))
    }
}
