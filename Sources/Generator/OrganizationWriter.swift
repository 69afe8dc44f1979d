import Engagement
import Foundation
import Ingest

/// Writes a generated organization into a folder: customer data, directory, mail, calendars, NDJSON, Graph, manifest.
///
/// The customer data (`accounts.csv`, `contacts.csv`), `directory.json` and
/// `manifest.json` are always written; `formats` adds `mail/` and `calendar/`
/// (`files`), `activity.ndjson` (`ndjson`) and `graph/` (`graph`). The same
/// spec always gives the same bytes. Everything is held in memory while
/// writing, so this is for demo and test sizes; benchmarks use
/// `ActivityGenerator.records`.
public struct OrganizationWriter: Sendable {
    public let organization: SyntheticOrganization
    public let formats: [OutputFormat]

    public init(organization: SyntheticOrganization, formats: [OutputFormat] = OutputFormat.allCases) {
        self.organization = organization
        self.formats = OutputFormat.allCases.filter { formats.contains($0) }
    }

    /// Writes every file under `folder` (created when missing) and returns the expected figures.
    @discardableResult
    public func write(to folder: URL) throws -> ExpectedFigures {
        let generator = ActivityGenerator(organization)
        var figures = ExpectedFigures(accountCount: organization.accounts.count)
        var emails: [GeneratedEmail] = []
        var events: [GeneratedEvent] = []
        generator.forEachChunk { chunk in
            figures.add(chunk)
            emails += chunk.emails
            events += chunk.events
        }
        emails.sort { ($0.sentAt, $0.messageID ?? "", $0.conversation) < ($1.sentAt, $1.messageID ?? "", $1.conversation) }
        events.sort { ($0.start, $0.uid) < ($1.start, $1.uid) }

        let files = FileManager.default
        try files.createDirectory(at: folder, withIntermediateDirectories: true)
        func write(_ bytes: [UInt8], _ path: String) throws {
            let url = folder.appendingPathComponent(path)
            try files.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url)
        }
        try write(CRMCSVWriter.accounts(organization), "accounts.csv")
        try write(CRMCSVWriter.contacts(organization), "contacts.csv")
        try write(DirectoryWriter.json(organization.directory), "directory.json")

        // Each mailbox's share, in time order.
        let mailboxes = organization.mailboxes
        var mailByBox = [[GeneratedEmail]](repeating: [], count: mailboxes.count)
        for email in emails { for box in email.mailboxes { mailByBox[box].append(email) } }
        var eventsByBox = [[GeneratedEvent]](repeating: [], count: mailboxes.count)
        for event in events { for box in event.mailboxes { eventsByBox[box].append(event) } }

        if formats.contains(.files) {
            for (box, person) in mailboxes.enumerated() {
                try write(MboxWriter.mbox(mailbox: box, emails: mailByBox[box], organization: organization), "mail/\(person.address).mbox")
                try write(
                    ICalendarWriter.calendar(name: person.name, events: eventsByBox[box], stamp: organization.spec.asOfSeconds),
                    "calendar/\(person.address).ics")
            }
        }
        if formats.contains(.ndjson) {
            try write(Self.ndjson(emails: emails, events: events), "activity.ndjson")
        }
        if formats.contains(.graph) {
            try write(GraphWriter.tenant(organization), "graph/tenant.json")
            try write(GraphWriter.users(organization.directory), "graph/users.json")
            try write(GraphWriter.groups(organization.directory), "graph/groups.json")
            for user in organization.directory.users {
                guard let box = user.mailbox else { continue }
                let folders = GraphWriter.mailFolders(mailbox: box, emails: mailByBox[box])
                try write(folders.inbox, "graph/mailboxes/\(user.id)/inbox.json")
                try write(folders.sentItems, "graph/mailboxes/\(user.id)/sentitems.json")
                try write(GraphWriter.calendar(mailbox: box, events: eventsByBox[box]), "graph/mailboxes/\(user.id)/calendar.json")
            }
        }
        try write(ManifestWriter.json(organization, figures, formats: formats), "manifest.json")
        return figures
    }

    /// Every distinct email and meeting occurrence, one line each, in time order.
    static func ndjson(emails: [GeneratedEmail], events: [GeneratedEvent]) -> [UInt8] {
        var lines: [(time: Int, order: Int, record: ActivityRecord)] = []
        lines.reserveCapacity(emails.count + events.count * 4)
        for email in emails { lines.append((email.sentAt, lines.count, .email(email.record))) }
        for event in events {
            for meeting in event.records { lines.append((Int(meeting.start.timeIntervalSince1970), lines.count, .meeting(meeting))) }
        }
        lines.sort { ($0.time, $0.order) < ($1.time, $1.order) }
        var out: [UInt8] = []
        for line in lines { ActivityJSONLine.append(line.record, to: &out) }
        return out
    }
}
