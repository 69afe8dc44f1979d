import AdminAPI
import Engagement
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Postgres
import Platform
import TestSupport
import Testing
import Worker

/// Every request of the hardening probe (issue 14), sent again: each answers a 4xx in the error shape
/// (or does the right thing), and the server answers `/health/live` after it.
@Suite("Hardening: no request takes the server down")
struct HardeningTests {
    /// Asserts the server is alive (in `.router` mode a trap would have ended the test process already).
    func alive(_ client: any TestClientProtocol) async throws {
        #expect(try await client.execute(uri: "/health/live", method: .get) { $0.status } == .ok)
    }

    /// Asserts a 4xx in the API's error shape naming `field`.
    func refused(_ result: JSONResult, _ status: HTTPResponse.Status = .badRequest, field: String?, _ note: String = "") {
        #expect(result.status == status, "\(note): \(result.status) \(result.text)")
        #expect(result.error?["code"] is String, "\(note): \(result.text)")
        #expect(result.error?["message"] is String, "\(note): \(result.text)")
        if let field { #expect(result.errorField == field, "\(note): \(result.text)") }
    }

    @Test("the four process-killing segment expressions and page numbers answer 400; the server lives")
    func processKillers() async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            let fixture = try await PagesAndSegmentsTests().published(client, harness)
            let base = fixture.base(.uk)
            let hostile = [
                "EngagementStartDate < today - 99999999999999999999 days",
                "EngagementStartDate < today - 2000000000000000000 weeks",
                String(repeating: "(", count: 3000) + "EngagementScore > 1" + String(repeating: ")", count: 3000),
                String(repeating: "NOT ", count: 1500) + "EngagementScore > 1",
            ]
            for expression in hostile {
                let result = try await client.call(.post, "\(base)/segments", key: fixture.adminKey, json: ["name": "Hostile", "expression": expression])
                refused(result, field: "expression", String(expression.prefix(60)))
                try await alive(client)
            }
            let pages = PageClient(client: client)
            let cookie = try await pages.signIn(fixture.adminKey)
            let environment = fixture.tenant.environments[.uk]!.lowercased()
            let stale = try #require(
                (try await client.call(.get, "\(base)/segments", key: fixture.viewerKey)["segments"] as? [[String: Any]])?
                    .first { $0["name"] as? String == "Stale accounts" }?["id"] as? String)
            for page in ["9223372036854775807", "1000001", "-1", "x"] {
                for path in ["/ui/environments/\(environment)/results?page=\(page)", "/ui/environments/\(environment)/segments/\(stale)?page=\(page)"] {
                    let (status, body) = try await pages.get(path, cookie: cookie)
                    #expect(status == .badRequest, "\(path): \(status)")
                    #expect(body.contains("page must be a whole number from 0 to 1000000"))
                    try await alive(client)
                }
            }
            #expect(try await pages.get("/ui/environments/\(environment)/results?page=1000000", cookie: cookie).0 == .ok)
        }
        await harness.shutdown()
    }

    @Test("a segment that cannot be evaluated is never stored; a bad stored one neither fails a publish nor shows the database's text")
    func failedSaveIsNotSaved() async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            let fixture = try await PagesAndSegmentsTests().published(client, harness)
            let base = fixture.base(.uk)
            let before = (try await client.call(.get, "\(base)/segments", key: fixture.viewerKey)["segments"] as! [Any]).count
            let bad = [
                ("EngagementStartDate < '0000-01-01'", "not a calendar date"),
                ("EngagementStartDate < today - 1000000000 days", "takes N up to"),
                ("EngagementStartDate < '2026-02-31'", "not a calendar date"),
                ("Name = 'a\u{0}b'", "control characters"),
                (Array(repeating: "EngagementScore > 1", count: 200).joined(separator: " AND "), "longer than 2000 characters"),
            ]
            for (expression, message) in bad {
                let result = try await client.call(.post, "\(base)/segments", key: fixture.adminKey, json: ["name": "Bad \(message)", "expression": expression])
                refused(result, field: "expression", message)
                #expect((result.error?["message"] as? String)?.contains(message) == true, "\(result.text)")
                try await alive(client)
            }
            #expect((try await client.call(.get, "\(base)/segments", key: fixture.viewerKey)["segments"] as! [Any]).count == before)

            // A segment stored before today's checks (written straight into the region database).
            let region = try harness.services.platform.regions.database(for: .uk)
            let legacy = UUID()
            try await region.withTenant(fixture.tenantID) { connection in
                try await connection.execute(
                    """
                    INSERT INTO segment (tenant_id, environment_id, segment_id, name, expression, created_at)
                    VALUES (\(fixture.tenantID), \(fixture.environmentID(.uk)), \(legacy), 'Legacy', 'EngagementStartDate < ''0000-01-01''', now())
                    """)
            }
            let members = try await client.call(.get, "\(base)/segments/\(legacy.uuidString)/members", key: fixture.viewerKey)
            refused(members, .unprocessableContent, field: nil, "legacy members")
            // The next run publishes; the step says one segment was not evaluated, in Rapport's words.
            harness.clock.advance(86_400)
            #expect(try await client.call(.post, "\(base)/runs", key: fixture.adminKey).status == .accepted)
            #expect(try await RegionWorker(platform: harness.services.platform, configuration: .init(region: .uk), logger: .init(label: "t")).runOnce())
            let runs = try await client.call(.get, "\(base)/runs", key: fixture.viewerKey)["runs"] as! [[String: Any]]
            let latest = try #require(runs.first)
            #expect(latest["status"] as? String == "succeeded", "\(latest)")
            let detail = try await client.call(.get, "\(base)/runs/\(latest["id"] as! String)", key: fixture.viewerKey)
            let steps = try #require(detail["steps"] as? [[String: Any]])
            let publish = try #require(steps.first { $0["step"] as? String == "publish" })
            #expect((publish["counts"] as? [String: Int])?["segments_not_evaluated"] == 1, "\(publish)")
            #expect(!detail.text.contains("invalid input syntax"))
        }
        await harness.shutdown()
    }

    @Test("inputs that answered 500 answer 400 naming the field: a year-0 licence, a bad period, a NUL in a CSV, a NUL in a JSON name")
    func fiveHundredsAreFourHundreds() async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            let fixture = try await PagesAndSegmentsTests().published(client, harness)
            let base = fixture.base(.uk)
            let uri = "/v1/tenants/\(fixture.tenant.id)"
            refused(try await client.call(.put, "\(uri)/licence", key: fixture.tenant.ownerKey, json: ["status": "active", "seats": 5, "expires_on": "0000-01-01"]), field: "expires_on")
            refused(try await client.call(.get, "\(base)/results/rows?period=2026-13-45", key: fixture.viewerKey), field: "period")
            refused(try await client.call(.get, "\(base)/results/rows?period=2026-02-30", key: fixture.viewerKey), field: "period")
            let csv = "id,name,domains\r\nA1,Fabrikam,fabrikam.com\r\nA2,Tail\u{0}spin,tailspin.com\r\n"
            let csvResult = try await client.execute(
                uri: "\(base)/customer-data/accounts", method: .post,
                headers: [.authorization: "Bearer \(fixture.tenant.ownerKey)", .contentType: "text/csv"], body: ByteBuffer(string: csv)
            ) { JSONResult(status: $0.status, object: (try? JSONSerialization.jsonObject(with: Data(String(buffer: $0.body).utf8))) as? [String: Any] ?? [:], text: String(buffer: $0.body)) }
            refused(csvResult, field: "name", "CSV NUL")
            #expect((csvResult.error?["message"] as? String)?.contains("row 3") == true, "\(csvResult.text)")
            let longName = String(repeating: "n", count: 100_000)
            let json = try await client.call(
                .post, "\(base)/customer-data/accounts", key: fixture.tenant.ownerKey,
                json: ["accounts": [["id": "A1", "name": longName, "domains": ["fabrikam.com"]]]])
            #expect(json.status == .contentTooLarge || json.errorField == "accounts[0].name", "\(json.status)")
            refused(
                try await client.call(.post, "\(base)/customer-data/accounts", key: fixture.tenant.ownerKey, json: ["accounts": [["id": "A\u{0}1", "name": "x", "domains": [String]()]]]),
                field: "accounts[0].id")
            refused(
                try await client.call(.post, "\(base)/customer-data/accounts", key: fixture.tenant.ownerKey, json: ["accounts": [["id": "A1", "name": String(repeating: "n", count: 401), "domains": [String]()]]]),
                field: "accounts[0].name")
            // Nothing was replaced: the two accounts of the fixture are still there.
            let card = try await client.call(.get, "\(base)/accounts/A2/card", key: fixture.viewerKey)
            #expect(card.status == .ok)
            try await alive(client)
        }
        await harness.shutdown()
    }

    @Test("weights and rules are range-checked and unknown rule keys refused; NDJSON must be UTF-8; a truncated gzip is refused; a 100-year meeting is noise")
    func validationGaps() async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            let fixture = try await LifecycleFixture.create(client, harness: harness, regions: [.uk])
            let base = fixture.base(.uk)
            var body = fixture.configuration()
            for (weights, field) in [
                (["emails_to_account": 1e308], "weights.emails_to_account"), (["reciprocity": -1], "weights.reciprocity"),
                (["recency_half_life_days": 0], "weights.recency_half_life_days"),
            ] as [([String: Double], String)] {
                body["weights"] = weights
                refused(try await client.call(.put, "\(base)/enrichment", key: fixture.adminKey, json: body), field: field)
            }
            body["weights"] = nil
            body["rules"] = ["colour": "red"]
            refused(try await client.call(.put, "\(base)/enrichment", key: fixture.adminKey, json: body), field: "rules.colour")
            body["rules"] = ["maximum_meeting_hours": 0]
            refused(try await client.call(.put, "\(base)/enrichment", key: fixture.adminKey, json: body), field: "rules.maximum_meeting_hours")
            #expect(try await client.call(.get, "\(base)/enrichment", key: fixture.adminKey)["configuration"] == nil)

            func upload(_ bytes: [UInt8], gzip: Bool = false) async throws -> JSONResult {
                var headers: HTTPFields = [.authorization: "Bearer \(fixture.tenant.ownerKey)", .contentType: "application/x-ndjson"]
                if gzip { headers[.contentEncoding] = "gzip" }
                return try await client.execute(uri: "\(base)/activity", method: .post, headers: headers, body: ByteBuffer(bytes: bytes)) {
                    let text = String(buffer: $0.body)
                    return JSONResult(status: $0.status, object: (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:], text: text)
                }
            }
            let good = #"{"kind":"email","message_id":"m1","from":"user1@contoso.example","to":["jo@fabrikam.com"],"sent_at":"2026-05-01T10:00:00Z"}"#
            var invalidUTF8 = Array(#"{"kind":"email","message_id":"m2","from":"user1@contoso.example","to":["jo@fabrikam.com"],"sent_at":"2026-05-01T10:00:00Z","conversation_id":"x"#.utf8)
            invalidUTF8 += [0xC3, 0x28] + Array(#""}"#.utf8)
            let mixed = try await upload(Array((good + "\n").utf8) + invalidUTF8)
            #expect(mixed.status == .badRequest, "\(mixed.text)")
            #expect(mixed.text.contains("UTF-8"), "\(mixed.text)")
            let whole = gzipped(Array((good + "\n").utf8))
            let truncated = try await upload(Array(whole.dropLast(6)), gzip: true)
            refused(truncated, field: "body", "truncated gzip")
            #expect(truncated.text.contains("truncated"), "\(truncated.text)")
            var trailing = try await upload(whole + [0x00, 0x01, 0x02], gzip: true)
            refused(trailing, field: "body", "gzip with trailing bytes")
            trailing = try await upload(whole + whole, gzip: true)
            #expect(trailing.status == .ok, "two gzip members: \(trailing.text)")
            let long = try await upload(Array(String(repeating: " ", count: 2 << 20).utf8) + [10])
            refused(long, field: "line 1", "a 2 MiB line")
            try await alive(client)

            let century = #"{"kind":"meeting","uid":"forever","organizer":"user1@contoso.example","attendees":[{"address":"jo@fabrikam.com"}],"start":"2026-05-01T10:00:00Z","end":"2126-05-01T10:00:00Z"}"#
            let report = try await upload(Array(century.utf8))
            #expect(report.status == .ok, "\(report.text)")
            let skipped = (report["report"] as? [String: Any])?["skipped"] as? [String: Int]
            #expect(skipped?["implausible_duration"] == 1, "\(report.text)")
        }
        await harness.shutdown()
    }

    @Test("signing out ends the session on the server: the old cookie no longer opens a page")
    func signOutEndsSession() async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            let fixture = try await LifecycleFixture.create(client, harness: harness, regions: [.uk])
            let pages = PageClient(client: client)
            let cookie = try await pages.signIn(fixture.adminKey)
            let (status, home) = try await pages.get("/ui", cookie: cookie)
            #expect(status == .ok)
            let csrf = try #require(PagesAndSegmentsTests.hidden("csrf", in: home))
            let out = try await client.execute(
                uri: "/ui/signout", method: .post, headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "csrf=\(csrf)")) { $0.status }
            #expect(out == .seeOther)
            let after = try await client.execute(uri: "/ui", method: .get, headers: [.cookie: cookie]) { $0 }
            #expect(after.status == .seeOther)
            #expect(after.headers[.location] == "/ui/signin")
        }
        await harness.shutdown()
    }

    @Test("an emailed consent link stops working once a newer decision is made in the console")
    func staleConsentLink() async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            let fixture = try await LifecycleFixture.create(client, harness: harness, regions: [.uk])
            #expect(try await client.call(.put, "\(fixture.base(.uk))/enrichment", key: fixture.adminKey, json: fixture.configuration()).status == .ok)
            let mail = try #require(try await harness.services.platform.outbox.list().first)
            let line = try #require(mail.body.split(separator: "\n").first { $0.contains("/consent/") })
            let path = String(line[line.range(of: "/consent/")!.lowerBound...]).trimmingCharacters(in: .whitespaces)
            #expect(try await client.call(.post, "/v1/tenants/\(fixture.tenant.id)/consent", key: fixture.o365Key, json: ["decision": "refuse", "reason": "not now"]).status == .ok)
            harness.clock.advance(60)
            let late = try await client.execute(
                uri: path, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: "decision=grant")
            ) { ($0.status, String(buffer: $0.body)) }
            #expect(late.0 == .gone, "\(late.1)")
            let consent = try await client.call(.get, "/v1/tenants/\(fixture.tenant.id)/consent", key: fixture.adminKey)
            #expect(consent["status"] as? String == "refused")
        }
        await harness.shutdown()
    }
}
