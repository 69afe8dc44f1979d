import AdminAPI
import Engagement
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Platform
import TestSupport
import Testing

@Suite("Customer data, activity push and results through the API")
struct DataAndResultsTests {
    static func line(_ object: [String: Any]) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    static func email(_ id: String, from: String, to: [String], at: String, replyTo: String? = nil) -> String {
        line([
            "kind": "email", "message_id": id, "from": from, "to": to, "cc": [String](), "bcc": [String](), "sent_at": at,
            "in_reply_to": replyTo.map { [$0] } ?? [], "references": [String](), "bulk": false,
        ])
    }

    func post(_ client: any TestClientProtocol, _ uri: String, key: String, body: String, type: String, gzip: Bool = false) async throws -> JSONResult {
        var headers: HTTPFields = [.authorization: "Bearer \(key)", .contentType: type]
        var buffer = ByteBuffer(string: body)
        if gzip {
            buffer = ByteBuffer(bytes: gzipped(Array(buffer.readableBytesView)))
            headers[.contentEncoding] = "gzip"
        }
        return try await client.execute(uri: uri, method: .post, headers: headers, body: buffer) { response in
            let text = String(buffer: response.body)
            return JSONResult(status: response.status, object: (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:], text: text)
        }
    }

    @Test("customer data by CSV and JSON, activity by NDJSON (gzip too), then results, rows, exports and the card")
    func endToEnd() async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            let tenant = try await TenantFixture.create(client, harness: harness, name: "Contoso")
            let base = "/v1/tenants/\(tenant.id)/environments/\(tenant.environments[.uk]!)"

            let accounts = try await post(
                client, "\(base)/customer-data/accounts", key: tenant.ownerKey,
                body: "accountid,name,websiteurl\r\nA1,Fabrikam,fabrikam.com\r\nA2,Tailspin,https://www.tailspin.com/\r\n", type: "text/csv")
            #expect(accounts.status == .ok, "\(accounts.text)")
            #expect(accounts["accounts"] as? Int == 2)
            let contacts = try await client.call(
                .post, "\(base)/customer-data/contacts", key: tenant.ownerKey,
                json: ["contacts": [["id": "C1", "account_id": "A1", "emails": ["emailaddress1": "jo@fabrikam.com"]]]])
            #expect(contacts.status == .ok, "\(contacts.text)")
            #expect(contacts["contact_emails"] as? Int == 1)
            let orphan = try await client.call(
                .post, "\(base)/customer-data/contacts", key: tenant.ownerKey,
                json: ["contacts": [["id": "C9", "account_id": "NOPE", "emails": [String: String]()]]])
            #expect(orphan.status == .badRequest)
            #expect(orphan.errorField == "contacts[0].account_id")
            let badCSV = try await post(client, "\(base)/customer-data/accounts", key: tenant.ownerKey, body: "name\r\nX\r\n", type: "text/csv")
            #expect(badCSV.status == .badRequest)
            #expect((badCSV.error?["message"] as? String)?.contains("row 1") == true)

            let now = ISO8601DateFormatter().string(from: harness.clock.now.addingTimeInterval(-86_400))
            let earlier = ISO8601DateFormatter().string(from: harness.clock.now.addingTimeInterval(-2 * 86_400))
            let batch = [
                Self.email("m1@contoso", from: "alice@contoso.example", to: ["jo@fabrikam.com"], at: earlier),
                Self.email("m2@fabrikam", from: "jo@fabrikam.com", to: ["alice@contoso.example"], at: now, replyTo: "m1@contoso"),
                Self.email("m3@contoso", from: "alice@contoso.example", to: ["sam@tailspin.com"], at: now),
            ].joined(separator: "\n")
            // One bad line rejects the batch whole, naming the line and field.
            let rejected = try await post(client, "\(base)/activity", key: tenant.ownerKey, body: batch + "\n{\"kind\":\"email\",\"to\":42}\n", type: "application/x-ndjson")
            #expect(rejected.status == .badRequest, "\(rejected.text)")
            let lines = rejected["lines"] as? [[String: Any]]
            #expect(lines?.first?["line"] as? Int == 4)
            #expect(lines?.first?["field"] as? String == "to")
            // With skip_invalid the valid lines are stored and the skipped one reported; gzip works.
            let accepted = try await post(
                client, "\(base)/activity?skip_invalid=true", key: tenant.ownerKey, body: batch + "\n{\"kind\":\"email\",\"to\":42}\n",
                type: "application/x-ndjson", gzip: true)
            #expect(accepted.status == .ok, "\(accepted.text)")
            #expect(accepted["skipped_lines"] as? Int == 1)
            let report = accepted["report"] as! [String: Any]
            #expect(report["email_signals_stored"] as? Int == 3)
            #expect(report["accounts_matched"] as? Int == 2)
            // The same batch again stores nothing new.
            let again = try await post(client, "\(base)/activity", key: tenant.ownerKey, body: batch, type: "application/x-ndjson")
            #expect((again["report"] as? [String: Any])?["duplicates"] as? Int == 3)

            #expect(try await client.call(.get, "\(base)/results", key: tenant.ownerKey).status == .notFound)
            let environment = try await harness.services.platform.control.environment(tenant: UUID(uuidString: tenant.id)!, id: UUID(uuidString: tenant.environments[.uk]!)!)
            let aggregator = try harness.services.platform.scope(for: environment).aggregator
            let run = EnrichmentAggregator.RunSpec(asOf: harness.clock.now, weights: .defaults)
            try await aggregator.aggregate(run)
            try await aggregator.publish(runID: run.runID, at: harness.clock.now)

            let summary = try await client.call(.get, "\(base)/results", key: tenant.ownerKey)
            #expect(summary["enriched_customers"] as? Int == 2)
            #expect(summary["emails_processed"] as? Int == 3)
            let history = try await client.call(.get, "\(base)/results/history", key: tenant.ownerKey)
            #expect((history["runs"] as? [Any])?.count == 1)

            let rows = try await client.call(.get, "\(base)/results/rows?level=Year&sort=EngagementScore&order=desc", key: tenant.ownerKey)
            #expect(rows.status == .ok, "\(rows.text)")
            let top = (rows["rows"] as! [[String: Any]]).first!
            #expect(top["AccountId"] as? String == "A1")
            #expect(top["EngagementScore"] as? Int == 100)
            #expect(top["NoOfEmails_ToAccount"] as? Int == 1)
            #expect(top["NoOfEmails_FromAccount"] as? Int == 1)
            #expect(top["AverageDuration_Of_AccountEmailReplies"] as? Double == 1440)
            #expect(top["AggregationLevel"] as? String == "Year")
            #expect(Set(top.keys) == Set(EnrichedRow.CodingKeys.allCases.map(\.rawValue)))
            #expect(top["DaysSinceLastMeeting"] is NSNull)
            let badSort = try await client.call(.get, "\(base)/results/rows?sort=Subject", key: tenant.ownerKey)
            #expect(badSort.status == .badRequest)
            #expect(badSort.errorField == "sort")

            let csv = try await client.execute(uri: "\(base)/results/export?format=csv", method: .get, headers: [.authorization: "Bearer \(tenant.ownerKey)"]) {
                ($0.status, String(buffer: $0.body))
            }
            #expect(csv.0 == .ok)
            let csvLines = csv.1.split(separator: "\r\n")
            #expect(csvLines.first == "AccountId,EngagementScore,NoOfEmails_ToAccount,NoOfEmails_FromAccount,NoOfMeetings_FromAccount,NoOfMeetings_ToAccount,NoOfContactsInvolved_Meetings,NoOfContactsInvolved_Emails,NoOfAccountContactsInvolved_Meetings,NoOfAccountContactsInvolved_Emails,EngagementStartDate,DaysSinceLastEmail,DaysSinceLastMeeting,AverageDuration_Of_Meetings,AverageDuration_Of_AccountEmailReplies,AggregationStartDate,AggregationLevel")
            let total = (try await client.call(.get, "\(base)/results/rows?limit=1000", key: tenant.ownerKey))["total"] as! Int
            #expect(csvLines.count == total + 1)
            let ndjson = try await client.execute(uri: "\(base)/results/export?format=ndjson&level=Year", method: .get, headers: [.authorization: "Bearer \(tenant.ownerKey)"]) {
                String(buffer: $0.body)
            }
            #expect(ndjson.split(separator: "\n").count == 2)

            let card = try await client.call(.get, "\(base)/accounts/A1/card", key: tenant.ownerKey)
            #expect(card["name"] as? String == "Fabrikam")
            #expect(card["totalEmails"] as? Int == 2)
            #expect((card["breakdown"] as? [[String: Any]])?.count == 10)
            #expect((card["monthly"] as? [Any])?.isEmpty == false)
            #expect(try await client.call(.get, "\(base)/accounts/NOPE/card", key: tenant.ownerKey).status == .notFound)
            // Nothing per person or per message anywhere in the results.
            for text in [summary.text, rows.text, card.text, csv.1, ndjson] {
                #expect(!text.contains("jo@fabrikam.com"))
                #expect(!text.contains("m1@contoso"))
            }
        }
        await harness.shutdown()
    }
}
