import Engagement
import Ingest

/// Pairs the meetings parsed from a calendar page with their Graph ids.
///
/// `GraphPageParser` yields one meeting per event item in order, skipping
/// `seriesMaster` items and items without a usable start; the same walk over
/// the items pairs them, checking each pair by its iCalendar UID.
enum GraphEventItems {
    struct Item: Sendable {
        var id: String
        var meeting: ActivityMeeting
        /// The mailbox owner organizes it (`isOrganizer`, else the organizer's address).
        var organized: Bool
    }

    static func pair(_ bytes: [UInt8], meetings: [ActivityMeeting], mailbox address: String) -> [Item] {
        guard let page = (try? JSONParser.parse(bytes, skippedKeys: ["body", "uniqueBody", "bodyPreview", "subject"]))?.objectValue,
            let values = page["value"]?.arrayValue
        else { return [] }
        var items: [Item] = []
        var index = 0
        for value in values {
            guard index < meetings.count, let object = value.objectValue, object["@removed"] == nil else { continue }
            if object["type"]?.stringValue?.lowercased() == "seriesmaster" { continue }
            guard let id = object["id"]?.stringValue else { continue }
            let uid = object["iCalUId"]?.stringValue ?? id
            let meeting = meetings[index]
            // An item the parser skipped (no usable start) has no meeting: leave the meeting for the next item.
            guard meeting.uid == uid else { continue }
            index += 1
            let organized = object["isOrganizer"]?.boolValue ?? (meeting.organizer == address)
            items.append(Item(id: id, meeting: meeting, organized: organized))
        }
        return items
    }
}
