import AdminAPI
import Engagement
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Platform
import TestSupport
import Testing
import Worker

@Suite("Pages, segments and measures")
struct PagesAndSegmentsTests {
    /// A fixture with a published run; one account's name carries markup.
    func published(_ client: any TestClientProtocol, _ harness: APIHarness) async throws -> LifecycleFixture {
        let fixture = try await LifecycleFixture.create(client, harness: harness, regions: [.uk])
        _ = try await client.call(
            .post, "\(fixture.base(.uk))/customer-data/accounts", key: fixture.tenant.ownerKey,
            json: ["accounts": [["id": "A1", "name": "<script>alert(1)</script> \"Fabrikam\"", "domains": ["fabrikam.com"]], ["id": "A2", "name": "Tailspin", "domains": ["tailspin.com"]], ["id": "A3", "name": "Dormant", "domains": ["dormant.example"]]]])
        _ = try await client.call(
            .post, "\(fixture.base(.uk))/customer-data/contacts", key: fixture.tenant.ownerKey,
            json: ["contacts": [["id": "C1", "account_id": "A1", "emails": ["emailaddress1": "jo@fabrikam.com"]]]])
        #expect(try await client.call(.put, "\(fixture.base(.uk))/enrichment", key: fixture.adminKey, json: fixture.configuration()).status == .ok)
        #expect(try await client.call(.post, "/v1/tenants/\(fixture.tenant.id)/consent", key: fixture.o365Key, json: ["decision": "grant"]).status == .ok)
        try await fixture.pushActivity(client, region: .uk, at: harness.clock.now)
        #expect(try await client.call(.post, "\(fixture.base(.uk))/runs", key: fixture.adminKey).status == .accepted)
        #expect(try await RegionWorker(platform: harness.services.platform, configuration: .init(region: .uk), logger: .init(label: "t")).runOnce())
        return fixture
    }

    @Test("segments: ready-made ones exist, a new one is checked, evaluated after runs, and lists its members; measures")
    func segmentsAndMeasures() async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            let fixture = try await published(client, harness)
            let base = fixture.base(.uk)
            let list = try await client.call(.get, "\(base)/segments", key: fixture.viewerKey)
            let segments = list["segments"] as! [[String: Any]]
            #expect(Set(segments.map { $0["name"] as! String }) == ["Stale accounts", "Single-threaded accounts", "Rising accounts"])
            // The run evaluated them: Dormant has no activity at all, so it is stale.
            let stale = segments.first { $0["name"] as? String == "Stale accounts" }!
            #expect(stale["size"] as? Int == 1)
            let members = try await client.call(.get, "\(base)/segments/\(stale["id"] as! String)/members", key: fixture.viewerKey)
            #expect((members["members"] as? [[String: Any]])?.map { $0["account_id"] as! String } == ["A3"])

            let bad = try await client.call(.post, "\(base)/segments", key: fixture.adminKey, json: ["name": "Broken", "expression": "EngagementScore >> 5"])
            #expect(bad.status == .badRequest)
            #expect(bad.errorField == "expression")
            #expect((bad.error?["message"] as? String)?.contains("position 18") == true)
            let created = try await client.call(.post, "\(base)/segments", key: fixture.adminKey, json: ["name": "Fabrikam family", "expression": "Domain = 'fabrikam.com' OR Name = 'Tailspin'"])
            #expect(created.status == .created, "\(created.text)")
            #expect(created["size"] as? Int == 2)
            let viewerCreate = try await client.call(.post, "\(base)/segments", key: fixture.viewerKey, json: ["name": "x", "expression": "EngagementScore > 1"])
            #expect(viewerCreate.status == .forbidden)

            let count = try await client.call(.post, "\(base)/measures", key: fixture.adminKey, json: ["name": "Accounts", "function": "COUNT", "column": "AccountId"])
            #expect(count.status == .created, "\(count.text)")
            let average = try await client.call(
                .post, "\(base)/measures", key: fixture.adminKey,
                json: ["name": "Emails from the family", "function": "SUM", "column": "NoOfEmails_FromAccount", "segment_id": created["id"] as! String])
            #expect(average.status == .created, "\(average.text)")
            let countValue = try await client.call(.get, "\(base)/measures/\(count["id"] as! String)", key: fixture.viewerKey)
            #expect(countValue["year"] as? Double == 3)
            let sumValue = try await client.call(.get, "\(base)/measures/\(average["id"] as! String)", key: fixture.viewerKey)
            #expect(sumValue["year"] as? Double == 1)  // jo's reply
            #expect((sumValue["months"] as? [[String: Any]])?.isEmpty == false)
            let textSum = try await client.call(.post, "\(base)/measures", key: fixture.adminKey, json: ["name": "x", "function": "SUM", "column": "Name"])
            #expect(textSum.status == .badRequest)
            #expect(textSum.errorField == "column")
        }
        await harness.shutdown()
    }

    @Test("every segment column can be tested, and every numeric one measured per month, on a published run")
    func everyColumn() async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            let fixture = try await published(client, harness)
            let base = fixture.base(.uk)
            for column in SegmentColumn.allCases {
                let segment = try await client.call(
                    .post, "\(base)/segments", key: fixture.adminKey,
                    json: ["name": "Has \(column.rawValue)", "expression": "\(column.rawValue) IS NOT NULL"])
                #expect(segment.status == .created, "\(column.rawValue): \(segment.text)")
                // Counts and the score are 0 for accounts without activity, so never null.
                let size = try await client.call(.get, "\(base)/segments/\(segment["id"] as? String ?? "")/members", key: fixture.viewerKey)
                #expect(size.status == .ok, "\(column.rawValue)")
                let nullable: [SegmentColumn] = [.daysSinceLastEmail, .daysSinceLastMeeting, .averageDurationOfMeetings, .averageDurationOfAccountEmailReplies]
                if nullable.contains(column) {
                    #expect((1..<3).contains(size["total"] as? Int ?? 0), "\(column.rawValue): \(size.text)")  // only accounts with that activity
                }
                if column.kind == .number {
                    if !nullable.contains(column) { #expect(size["total"] as? Int == 3, "\(column.rawValue): \(size.text)") }
                    let measure = try await client.call(
                        .post, "\(base)/measures", key: fixture.adminKey, json: ["name": "Max \(column.rawValue)", "function": "MAX", "column": column.rawValue])
                    #expect(measure.status == .created, "\(column.rawValue): \(measure.text)")
                    let value = try await client.call(.get, "\(base)/measures/\(measure["id"] as? String ?? "")", key: fixture.viewerKey)
                    #expect(value.status == .ok, "\(column.rawValue): \(value.text)")
                    #expect((value["months"] as? [[String: Any]])?.isEmpty == false, "\(column.rawValue): \(value.text)")
                }
            }
        }
        await harness.shutdown()
    }

    @Test("sign-in with a key, a session cookie, every page with its figures, CSRF, escaping and the CSP")
    func pages() async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            let fixture = try await published(client, harness)
            let environment = fixture.tenant.environments[.uk]!.lowercased()

            // Without a session, pages send you to sign in.
            let anonymous = try await client.execute(uri: "/ui", method: .get) { $0 }
            #expect(anonymous.status == .seeOther)
            #expect(anonymous.headers[.location] == "/ui/signin")

            let form = try await client.execute(uri: "/ui/signin", method: .get) { ($0.headers[values: .setCookie], String(buffer: $0.body)) }
            let nonceCookie = try #require(form.0.first { $0.hasPrefix("rapport_signin=") })
            #expect(nonceCookie.contains("HttpOnly") && nonceCookie.contains("SameSite=Strict"))
            let nonce = String(nonceCookie.split(separator: ";")[0])
            let csrf = try #require(Self.hidden("csrf", in: form.1))
            let wrong = try await client.execute(
                uri: "/ui/signin", method: .post, headers: [.cookie: nonce, .contentType: "application/x-www-form-urlencoded"],
                body: .init(string: "csrf=\(csrf)&key=rpt_nope")) { $0.status }
            #expect(wrong == .unauthorized)
            let noCSRF = try await client.execute(
                uri: "/ui/signin", method: .post, headers: [.cookie: nonce, .contentType: "application/x-www-form-urlencoded"],
                body: .init(string: "key=\(fixture.adminKey)")) { $0.status }
            #expect(noCSRF == .forbidden)
            let signedIn = try await client.execute(
                uri: "/ui/signin", method: .post, headers: [.cookie: nonce, .contentType: "application/x-www-form-urlencoded"],
                body: .init(string: "csrf=\(csrf)&key=\(fixture.adminKey)")) { $0 }
            #expect(signedIn.status == .seeOther)
            let sessionCookie = try #require(signedIn.headers[values: .setCookie].first { $0.hasPrefix("rapport_session=") })
            #expect(sessionCookie.contains("HttpOnly") && sessionCookie.contains("SameSite=Strict"))
            #expect(!sessionCookie.contains(fixture.adminKey))
            let cookie = String(sessionCookie.split(separator: ";")[0])

            func page(_ path: String) async throws -> (HTTPResponse.Status, String, HTTPFields) {
                try await client.execute(uri: path, method: .get, headers: [.cookie: cookie]) { ($0.status, String(buffer: $0.body), $0.headers) }
            }
            let home = try await page("/ui")
            #expect(home.0 == .ok)
            #expect(home.1.contains("Contoso uk"))
            #expect(home.2[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
            #expect(!home.1.contains("<script"))

            let overview = try await page("/ui/environments/\(environment)")
            #expect(overview.1.contains("office365_licence") && overview.1.contains("class=\"pass\""))
            #expect(overview.1.contains("granted"))

            let results = try await page("/ui/environments/\(environment)/results")
            #expect(results.0 == .ok)
            #expect(results.1.contains("<b id=\"enriched-customers\">2</b>"))
            #expect(results.1.contains("<svg"))
            #expect(results.1.contains("NoOfEmails_ToAccount"))
            #expect(!results.1.contains("<script>alert(1)</script>"))
            let sorted = try await page("/ui/environments/\(environment)/results?level=Year&sort=AccountId&order=asc")
            #expect(sorted.1.range(of: ">A1<")!.lowerBound < sorted.1.range(of: ">A2<")!.lowerBound)

            let card = try await page("/ui/environments/\(environment)/accounts/A1")
            #expect(card.0 == .ok)
            #expect(card.1.contains("&lt;script&gt;alert(1)&lt;/script&gt; &quot;Fabrikam&quot;"))
            #expect(!card.1.contains("<script>"))
            #expect(card.1.contains("id=\"engagement-score\">100<"))
            #expect(card.1.contains("reply_latency"))

            let runs = try await page("/ui/environments/\(environment)/runs")
            let runID = try #require(runs.1.range(of: "/runs/").map { String(runs.1[$0.upperBound...].prefix(36)) })
            let progress = try await page("/ui/environments/\(environment)/runs/\(runID)")
            #expect(progress.1.contains("publish"))
            #expect(progress.1.contains("succeeded"))
            #expect(!progress.1.contains("http-equiv=\"refresh\""))

            let segments = try await page("/ui/environments/\(environment)/segments")
            #expect(segments.1.contains("Stale accounts"))
            let segmentCSRF = try #require(Self.hidden("csrf", in: segments.1))
            let xss = try await client.execute(
                uri: "/ui/environments/\(environment)/segments", method: .post, headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                body: .init(string: "csrf=\(segmentCSRF)&name=%22%3E%3Cscript%3Ex%3C%2Fscript%3E&expression=EngagementScore+%3E+0")) { ($0.status, $0.headers[.location]) }
            #expect(xss.0 == .seeOther)
            let segmentPage = try await page(try #require(xss.1))
            #expect(segmentPage.1.contains("&quot;&gt;&lt;script&gt;x&lt;/script&gt;"))
            #expect(!segmentPage.1.contains("<script>x"))
            let forged = try await client.execute(
                uri: "/ui/environments/\(environment)/segments", method: .post, headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                body: .init(string: "csrf=forged&name=x&expression=EngagementScore+%3E+0")) { $0.status }
            #expect(forged == .seeOther)  // back to sign-in: nothing created
            #expect(try await harness.services.platform.scope(for: try await harness.services.platform.control.environment(tenant: fixture.tenantID, id: fixture.environmentID(.uk))).segments.segments().count == 4)

            let measures = try await page("/ui/environments/\(environment)/measures")
            #expect(measures.0 == .ok)
            let configure = try await page("/ui/environments/\(environment)/configure")
            #expect(configure.1.contains("I agree"))
            #expect(configure.1.contains("Currently selected: 4 mailboxes"))

            // Another tenant's environment is not found; signing out ends the session.
            let foreign = try await page("/ui/environments/\(UUID().uuidString.lowercased())")
            #expect(foreign.0 == .notFound)
            let signOutCSRF = try #require(Self.hidden("csrf", in: home.1))
            let out = try await client.execute(
                uri: "/ui/signout", method: .post, headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                body: .init(string: "csrf=\(signOutCSRF)")) { $0.headers[values: .setCookie] }
            #expect(out.contains { $0.hasPrefix("rapport_session=;") && $0.contains("Max-Age=0") })
        }
        await harness.shutdown()
    }

    static func hidden(_ name: String, in html: String) -> String? { PageClient.hidden(name, in: html) }
}
