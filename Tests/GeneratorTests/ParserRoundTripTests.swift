import Engagement
import Foundation
import FakeGraph
import Generator
import Ingest
import Testing

/// Every generated file parses with the project's own parsers, without a single error, into the generated records.
@Suite("Files parse with the production parsers")
struct ParserRoundTripTests {
    let fixture = GeneratedFixture.shared

    func bytes(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: fixture.folder.appendingPathComponent(path)))
    }

    /// Email records keyed as the pipeline dedupes them.
    static func emailsByKey(_ records: [ActivityRecord]) -> [String: ActivityEmail] {
        var out: [String: ActivityEmail] = [:]
        for case .email(let email) in records {
            guard let key = ActivityClassifier.messageKey(of: email) else { continue }
            // Keep the sender's copy (the one with Bcc) when there are several.
            if let known = out[key], known.bcc.count >= email.bcc.count { continue }
            out[key] = email
        }
        return out
    }

    static func meetingsByKey(_ records: [ActivityRecord]) -> [String: ActivityMeeting] {
        var out: [String: ActivityMeeting] = [:]
        for case .meeting(let meeting) in records { out[ActivityClassifier.occurrenceKey(of: meeting)] = meeting }
        return out
    }

    var expectedEmails: [String: ActivityEmail] {
        Self.emailsByKey(fixture.emails.map { .email($0.record) })
    }

    var expectedMeetings: [String: ActivityMeeting] {
        Self.meetingsByKey(fixture.events.flatMap { $0.records.map(ActivityRecord.meeting) })
    }

    @Test("accounts.csv and contacts.csv")
    func crmCSV() throws {
        let accounts = try CRMCSVParser.accounts(try bytes("accounts.csv"))
        #expect(accounts.errors.isEmpty)
        #expect(accounts.accounts == fixture.organization.businessAccounts)
        let contacts = try CRMCSVParser.contacts(try bytes("contacts.csv"))
        #expect(contacts.errors.isEmpty)
        #expect(contacts.contacts == fixture.organization.crmContacts)
    }

    @Test("directory.json resolves to the selected mailboxes")
    func directory() throws {
        let object = try JSONSerialization.jsonObject(with: Data(try bytes("directory.json"))) as! [String: Any]
        let users = object["users"] as! [[String: Any]]
        let groups = object["groups"] as! [[String: Any]]
        #expect(users.count == fixture.organization.directory.users.count)
        #expect(users.allSatisfy { $0["id"] is String && $0["mail"] is String && $0["user_principal_name"] is String && $0["display_name"] is String })
        // Resolve the selection from the file alone.
        let mailByID = Dictionary(uniqueKeysWithValues: users.map { ($0["id"] as! String, $0["mail"] as! String) })
        let membersByID = Dictionary(uniqueKeysWithValues: groups.map { ($0["id"] as! String, $0["members"] as! [String]) })
        func expand(_ id: String, _ seen: inout Set<String>) -> Set<String> {
            guard seen.insert(id).inserted else { return [] }
            if let mail = mailByID[id] { return [mail] }
            var out = Set<String>()
            for member in membersByID[id] ?? [] { out.formUnion(expand(member, &seen)) }
            return out
        }
        var resolved = Set(fixture.organization.directory.selectedAddresses)
        for mail in fixture.organization.directory.selectedGroups {
            let group = groups.first { $0["mail"] as? String == mail }!
            var seen = Set<String>()
            resolved.formUnion(expand(group["id"] as! String, &seen))
        }
        #expect(resolved == Set(fixture.organization.selectedAddresses))
        #expect(resolved.count == GeneratedFixture.spec.mailboxes)
        // Groups nest at least three deep (Sales → Sales Americas → Sales Americas East).
        #expect(groups.contains { ($0["members"] as! [String]).contains { membersByID[$0] != nil } })
    }

    @Test("the mbox files hold every message, once per mailbox, equal to the generated records")
    func mbox() throws {
        let records = try fixture.read("mail")
        #expect(records.count == fixture.figures.emailCopies)
        let parsed = Self.emailsByKey(records)
        let expected = expectedEmails
        #expect(parsed.count == expected.count)
        #expect(parsed.count == fixture.figures.emails)
        for (key, email) in expected {
            #expect(parsed[key] == email, "message \(key)")
        }
    }

    @Test("the calendars expand into the generated occurrences")
    func calendars() throws {
        let records = try fixture.read("calendar")
        let parsed = Self.meetingsByKey(records)
        let expected = expectedMeetings
        #expect(parsed.count == fixture.figures.meetingOccurrences)
        #expect(Set(parsed.keys) == Set(expected.keys))
        for (key, meeting) in expected {
            #expect(parsed[key] == meeting, "occurrence \(key)")
        }
    }

    @Test("activity.ndjson holds each email and occurrence once, equal to the generated records")
    func ndjson() throws {
        let (records, errors) = NDJSONParser.parse(try bytes("activity.ndjson"))
        #expect(errors.isEmpty)
        #expect(records.count == fixture.figures.emails + fixture.figures.meetingOccurrences)
        #expect(Self.emailsByKey(records) == expectedEmails)
        #expect(Self.meetingsByKey(records) == expectedMeetings)
        // The file reader (streamed) agrees.
        #expect(try fixture.read("activity.ndjson").count == records.count)
    }

    @Test("the Graph tenant folder parses into the same emails and occurrences, and the fake Graph server loads it")
    func graph() throws {
        let tenant = fixture.folder.appendingPathComponent("graph")
        let mailboxes = tenant.appendingPathComponent("mailboxes")
        let selected = fixture.organization.directory.users.filter { $0.mailbox != nil }
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: mailboxes.path)) == Set(selected.map(\.id)))
        var emails: [ActivityRecord] = []
        var meetings: [ActivityRecord] = []
        // Each attendee's copy of a meeting, by its owner's address: it knows that attendee's own response only.
        var attendeeCopies: [(viewer: String, meeting: ActivityMeeting)] = []
        var counts: [String: Int] = [:]
        for user in selected {
            for folder in ["inbox", "sentitems", "calendar"] {
                let page = try GraphPageParser.parse(Array(try Data(contentsOf: mailboxes.appendingPathComponent(user.id).appendingPathComponent("\(folder).json"))))
                if folder == "calendar" {
                    for case .meeting(let meeting) in page.records {
                        if meeting.organizer == user.mail.lowercased() {
                            meetings.append(.meeting(meeting))
                        } else {
                            attendeeCopies.append((user.mail.lowercased(), meeting))
                        }
                    }
                } else {
                    emails += page.records
                }
                let object = try JSONSerialization.jsonObject(with: Data(contentsOf: mailboxes.appendingPathComponent(user.id).appendingPathComponent("\(folder).json")))
                counts["\(user.id)/\(folder)"] = ((object as! [String: Any])["value"] as! [Any]).count
            }
        }
        #expect(emails.count == fixture.figures.emailCopies)
        let parsedEmails = Self.emailsByKey(emails)
        #expect(parsedEmails.count == fixture.figures.emails)
        for (key, email) in expectedEmails {
            var graph = parsedEmails[key]
            // Graph adds the conversation and always names the sender.
            #expect(graph?.conversationID != nil)
            graph?.conversationID = nil
            #expect(graph?.sender == email.from)
            graph?.sender = nil
            #expect(graph == email, "message \(key)")
        }
        // Graph reports rooms as resources; the organizer's copy is as in the calendars, with every response.
        func asServed(_ meeting: ActivityMeeting, seenBy viewer: String? = nil) -> ActivityMeeting {
            var served = meeting
            for k in served.attendees.indices {
                if served.attendees[k].cutype == "ROOM" { served.attendees[k].cutype = "RESOURCE" }
                if let viewer, served.attendees[k].address != viewer { served.attendees[k].partstat = "NEEDS-ACTION" }
            }
            return served
        }
        let parsedMeetings = Self.meetingsByKey(meetings + attendeeCopies.map { .meeting($0.meeting) })
        #expect(Set(parsedMeetings.keys) == Set(expectedMeetings.keys))
        let organizerCopies = Self.meetingsByKey(meetings)
        for (key, meeting) in organizerCopies {
            #expect(meeting == asServed(expectedMeetings[key]!), "organizer's copy of \(key)")
        }
        // An attendee's copy shows `none` (parsed as NEEDS-ACTION) for everyone but its owner, as Exchange's copies do.
        #expect(!attendeeCopies.isEmpty)
        for (viewer, meeting) in attendeeCopies {
            let key = ActivityClassifier.occurrenceKey(of: meeting)
            #expect(meeting == asServed(expectedMeetings[key]!, seenBy: viewer), "\(viewer)'s copy of \(key)")
        }

        // The fake server serves exactly these files, for the directory ids the organization has.
        let header = try JSONSerialization.jsonObject(with: Data(contentsOf: tenant.appendingPathComponent("tenant.json"))) as! [String: Any]
        #expect(UUID(uuidString: header["entra_tenant_id"] as? String ?? "") != nil)
        #expect(header["domain"] as? String == fixture.organization.spec.domain)
        let store = try FakeTenantFiles.load(from: tenant, clientID: "demo-client", clientSecret: "demo-secret")
        #expect(store.credentials.tenantID == header["entra_tenant_id"] as? String)
        #expect(Set(store.tenant.users.filter(\.hasMailbox).map(\.id)) == Set(selected.map(\.id)))
        #expect(store.tenant.groups.map(\.id).sorted() == fixture.organization.directory.groups.map(\.id).sorted())
        #expect(store.tenant.groups.flatMap(\.members).isEmpty == false)
        for (key, count) in counts {
            let parts = key.split(separator: "/").map(String.init)
            #expect(store.count(user: parts[0], folder: parts[1]) == count, "\(key)")
        }
    }
}
