import Engagement
import Foundation
import Testing
@testable import Ingest

@Suite("NDJSON push format")
struct NDJSONTests {
    @Test func roundTripsThroughTheOutputFormat() throws {
        let email = ActivityRecord.email(ActivityEmail(
            messageID: "a@b", from: "x@y.org", to: ["t@u.org"], sentAt: Date(timeIntervalSince1970: 1_700_000_000),
            inReplyTo: ["p@q"], references: ["o@q", "p@q"], bulk: true, autoSubmitted: true, conversationID: "c1"))
        let meeting = ActivityRecord.meeting(ActivityMeeting(
            uid: "u\"1\n", recurrenceID: Date(timeIntervalSince1970: 1_700_000_000), organizer: "o@x.org",
            attendees: [ActivityAttendee(address: "a@x.org", partstat: "ACCEPTED", role: "CHAIR", cutype: "INDIVIDUAL")],
            start: Date(timeIntervalSince1970: 1_700_000_000), end: Date(timeIntervalSince1970: 1_700_003_600), allDay: false, cancelled: true))
        var out: [UInt8] = []
        ActivityJSONLine.append(email, to: &out)
        out += Array("\n   \n".utf8)
        ActivityJSONLine.append(meeting, to: &out)
        let (records, errors) = NDJSONParser.parse(out)
        #expect(errors.isEmpty)
        #expect(records == [email, meeting])
    }

    @Test func outputShape() {
        let line = ActivityJSONLine.line(.email(ActivityEmail(from: "a@b.c")))
        #expect(line == #"{"kind":"email","message_id":null,"from":"a@b.c","sender":null,"to":[],"cc":[],"bcc":[],"sent_at":null,"in_reply_to":[],"references":[],"bulk":false,"auto_submitted":false,"conversation_id":null}"#)
    }

    @Test func normalizesAndDefaults() throws {
        let (records, errors) = NDJSONParser.parse(Array(#"{"kind":"email","from":" Boss@Example.COM ","message_id":"<m@x>","sent_at":"2024-01-05T11:00:00.123+01:00"}"#.utf8))
        #expect(errors.isEmpty)
        guard case .email(let e) = try #require(records.first) else { Issue.record("not an email"); return }
        #expect(e.from == "boss@example.com" && e.messageID == "m@x" && e.to == [] && !e.bulk)
        #expect(e.sentAt == Date(timeIntervalSince1970: 1_704_448_800))
    }

    @Test func errorsNameLineAndField() {
        let input = """
        {"kind":"email","to":["ok@x.org", 5]}
        not json
        {"kind":"meeting","uid":"u","start":"2024-01-01T10:00:00Z"}
        {"kind":"meeting","uid":"u","start":"2024-01-01T10:00:00Z","end":"2024-01-01T11:00:00Z","attendees":[{"address":"nope"}]}
        {"kind":"call"}
        {"kind":"email","subject":"secret"}
        {"kind":"email","sent_at":"yesterday"}
        """
        let (records, errors) = NDJSONParser.parse(Array(input.utf8))
        #expect(records.isEmpty)
        #expect(errors.map(\.line) == [1, 2, 3, 4, 5, 6, 7])
        #expect(errors.map(\.field) == ["to[1]", nil, "end", "attendees[0].address", "kind", "subject", "sent_at"])
        #expect(errors[2].code == .missingField)
    }
}

@Suite("Microsoft Graph pages")
struct GraphPageTests {
    static let messages = """
    {"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users('x')/messages",
     "value":[
      {"@odata.type":"#microsoft.graph.message","id":"AAMk1","subject":"secret","body":{"contentType":"html","content":"<p>secret</p>"},
       "bodyPreview":"secret","sentDateTime":"2024-01-05T10:00:00Z","internetMessageId":"<msg1@contoso.com>","conversationId":"conv1",
       "from":{"emailAddress":{"name":"Adele","address":"AdeleV@contoso.com"}},
       "sender":{"emailAddress":{"name":"Adele","address":"adelev@contoso.com"}},
       "toRecipients":[{"emailAddress":{"name":"Bob","address":"bob@fabrikam.com"}},{"emailAddress":{"name":"no address"}}],
       "ccRecipients":[],"bccRecipients":[{"emailAddress":{"address":"audit@contoso.com"}}],
       "internetMessageHeaders":[{"name":"In-Reply-To","value":"<p@fabrikam.com>"},{"name":"References","value":"<o@fabrikam.com> <p@fabrikam.com>"},{"name":"List-Id","value":"<news.contoso.com>"}]},
      {"id":"AAMk2","@removed":{"reason":"deleted"}}
     ],
     "@odata.nextLink":"https://graph.microsoft.com/v1.0/users/x/messages?$skip=10"}
    """

    @Test func messagePage() throws {
        let page = try GraphPageParser.parse(Array(Self.messages.utf8))
        #expect(page.nextLink == "https://graph.microsoft.com/v1.0/users/x/messages?$skip=10")
        #expect(page.deltaLink == nil)
        #expect(page.removedIDs == ["AAMk2"])
        guard case .email(let e) = try #require(page.records.first) else { Issue.record("not an email"); return }
        #expect(page.records.count == 1)
        #expect(e.from == "adelev@contoso.com" && e.to == ["bob@fabrikam.com"] && e.bcc == ["audit@contoso.com"])
        #expect(e.messageID == "msg1@contoso.com" && e.conversationID == "conv1")
        #expect(e.inReplyTo == ["p@fabrikam.com"] && e.references == ["o@fabrikam.com", "p@fabrikam.com"])
        #expect(e.bulk && !e.autoSubmitted)
        #expect(e.sentAt == Date(timeIntervalSince1970: 1_704_448_800))
    }

    static let events = """
    {"value":[
      {"@odata.type":"#microsoft.graph.event","id":"e1","iCalUId":"040000008200E0","type":"singleInstance","isAllDay":false,"isCancelled":false,
       "body":{"contentType":"html","content":"agenda"},
       "start":{"dateTime":"2024-07-01T09:00:00.0000000","timeZone":"W. Europe Standard Time"},
       "end":{"dateTime":"2024-07-01T10:00:00.0000000","timeZone":"W. Europe Standard Time"},
       "organizer":{"emailAddress":{"address":"Org@Contoso.com"}},
       "attendees":[{"type":"required","status":{"response":"accepted"},"emailAddress":{"address":"a@fabrikam.com"}},
                    {"type":"resource","status":{"response":"none"},"emailAddress":{"address":"room1@contoso.com"}},
                    {"type":"optional","status":{"response":"tentativelyAccepted"},"emailAddress":{"address":"b@fabrikam.com"}}]},
      {"id":"e2","iCalUId":"u2","type":"occurrence","seriesMasterId":"m","isAllDay":true,"isCancelled":true,
       "originalStart":"2024-07-02T00:00:00Z",
       "start":{"dateTime":"2024-07-02T00:00:00.0000000","timeZone":"UTC"},"end":{"dateTime":"2024-07-03T00:00:00.0000000","timeZone":"UTC"}},
      {"id":"m","iCalUId":"u2","type":"seriesMaster","start":{"dateTime":"2024-07-01T00:00:00","timeZone":"UTC"}},
      {"id":"e3","iCalUId":"u3","start":{"dateTime":"2024-01-10T09:00:00","timeZone":"America/New_York"},"end":{"dateTime":"2024-01-10T09:30:00","timeZone":"America/New_York"}}
     ],
     "@odata.deltaLink":"https://graph.microsoft.com/v1.0/me/calendarView/delta?$deltatoken=abc"}
    """

    @Test func eventPage() throws {
        let page = try GraphPageParser.parse(Array(Self.events.utf8))
        #expect(page.deltaLink?.hasSuffix("deltatoken=abc") == true)
        let ms = page.records.compactMap { r -> ActivityMeeting? in if case .meeting(let m) = r { return m } else { return nil } }
        #expect(ms.count == 3)
        #expect(RFC3339.string(Int(ms[0].start.timeIntervalSince1970)) == "2024-07-01T07:00:00Z")
        #expect(ms[0].organizer == "org@contoso.com" && ms[0].uid == "040000008200E0")
        #expect(ms[0].attendees.map(\.partstat) == ["ACCEPTED", "NEEDS-ACTION", "TENTATIVE"])
        #expect(ms[0].attendees.map(\.cutype) == ["INDIVIDUAL", "RESOURCE", "INDIVIDUAL"])
        #expect(ms[0].attendees.map(\.role) == ["REQ-PARTICIPANT", "NON-PARTICIPANT", "OPT-PARTICIPANT"])
        #expect(ms[1].allDay && ms[1].cancelled && ms[1].recurrenceID == Date(timeIntervalSince1970: 1_719_878_400))
        #expect(RFC3339.string(Int(ms[2].start.timeIntervalSince1970)) == "2024-01-10T14:00:00Z")
    }

    @Test func badPages() {
        #expect(throws: IngestError.self) { try GraphPageParser.parse(Array("[1,2]".utf8)) }
        #expect(throws: IngestError.self) { try GraphPageParser.parse(Array("{\"value\":3}".utf8)) }
        #expect(throws: IngestError.self) { try GraphPageParser.parse(Array("{\"value\":[".utf8)) }
        #expect(throws: IngestError.self) { try GraphPageParser.parse(Array((String(repeating: "[", count: 100_000)).utf8)) }
    }
}

@Suite("CRM CSV")
struct CRMCSVTests {
    @Test func rfc4180Quoting() throws {
        let rows = try CSVReader.rows(Array("\u{FEFF}a,b,c\r\n\"x, \"\"y\"\"\",\"multi\nline\",z\r\n\r\n1,,3".utf8))
        #expect(rows.map(\.fields) == [["a", "b", "c"], ["x, \"y\"", "multi\nline", "z"], ["1", "", "3"]])
        #expect(rows.map(\.number) == [1, 2, 4])
        #expect(throws: IngestError.self) { try CSVReader.rows(Array("a,b\n\"open,2\n".utf8)) }
    }

    @Test func accountsWithDomains() throws {
        let csv = "ID;Account Name;Website\n1;Contoso;\"https://www.Contoso.com/about, contoso.co.uk\"\n2;Fabrikam;fabrikam.com fabrikam.com. http://user@shop.fabrikam.com:8080?x\n3;Bad;not_a_domain\n;NoID;x.org\n"
        let (accounts, errors) = try CRMCSVParser.accounts(Array(csv.utf8))
        #expect(accounts == [
            BusinessAccount(id: "1", name: "Contoso", domains: ["contoso.com", "contoso.co.uk"]),
            BusinessAccount(id: "2", name: "Fabrikam", domains: ["fabrikam.com", "shop.fabrikam.com"]),
            BusinessAccount(id: "3", name: "Bad", domains: []),
        ])
        #expect(errors.map(\.line) == [4, 5])
        #expect(errors.map(\.field) == ["Website", "ID"])
    }

    @Test func contactsByEmailColumn() throws {
        let csv = "contactid,AccountId,EMailAddress1,emailaddress2\nc1,1,Jane@Contoso.com,\nc2,1,,mailto:j2@contoso.com\nc3,2,broken,\n"
        let (contacts, errors) = try CRMCSVParser.contacts(Array(csv.utf8))
        #expect(contacts.map(\.emailsByColumn) == [["EMailAddress1": "jane@contoso.com"], ["emailaddress2": "j2@contoso.com"], [:]])
        #expect(contacts.map(\.accountID) == ["1", "1", "2"])
        #expect(errors.first?.line == 4 && errors.first?.field == "EMailAddress1")
        let chosen = try CRMCSVParser.contacts(Array(csv.utf8), columns: .init(emails: ["EMAILADDRESS2"]))
        #expect(chosen.contacts.map(\.emailsByColumn) == [[:], ["emailaddress2": "j2@contoso.com"], [:]])
        #expect(throws: IngestError.self) { try CRMCSVParser.contacts(Array("name\nx\n".utf8)) }
    }
}
