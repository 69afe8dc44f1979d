import AdminAPI
import Connectors
import FakeGraph
import Foundation
import HummingbirdTesting
import Postgres
import Platform
import Testing

@Suite("Graph app registration, admin consent and sign-in failures")
struct GraphConsentTests {
    @Test("PUT/GET/DELETE the app registration: validated, owner only, the secret sealed and never returned or audited")
    func registration() async throws {
        let harness = try await GraphHarness.make(.init(mailboxes: 2))
        try await harness.test { client in
            let fixture = try await GraphTenantFixture.create(client, harness: harness, register: false, grant: false)
            let uri = "\(fixture.uri)/graph"
            let fake = harness.tenant
            let valid: [String: Any] = ["entra_tenant_id": fake.entraTenantID.uppercased(), "client_id": GraphHarness.clientID.uppercased(), "client_secret": GraphHarness.clientSecret]
            #expect(try await client.call(.put, uri, key: fixture.adminKey, json: valid).status == .forbidden)
            for (field, value) in [("client_id", "not-a-guid" as Any), ("entra_tenant_id", "common"), ("cloud", "mars"), ("client_secret", "two words")] {
                var body = valid
                body[field] = value
                let refused = try await client.call(.put, uri, key: fixture.ownerKey, json: body)
                #expect(refused.status == .badRequest, "\(field): \(refused.text)")
                #expect(refused.errorField == field)
            }
            var missing = valid
            missing["client_secret"] = nil
            #expect(try await client.call(.put, uri, key: fixture.ownerKey, json: missing).errorField == "client_secret")
            #expect(try await client.call(.get, uri, key: fixture.ownerKey).status == .notFound)

            let saved = try await client.call(.put, uri, key: fixture.ownerKey, json: valid)
            #expect(saved.status == .ok, "\(saved.text)")
            #expect(saved["entra_tenant_id"] as? String == fake.entraTenantID)
            #expect(saved["client_id"] as? String == GraphHarness.clientID)
            #expect(saved["cloud"] as? String == "global")
            #expect(saved["has_secret"] as? Bool == true)
            #expect(saved["login_url"] as? String == harness.server.loginURL)
            #expect(saved["graph_url"] as? String == harness.server.apiURL)
            #expect(saved["redirect_uri"] as? String == "https://rapport.test/graph/consent/callback")
            #expect(!saved.text.contains(GraphHarness.clientSecret))
            for key in [fixture.ownerKey, fixture.o365Key] {
                let read = try await client.call(.get, uri, key: key)
                #expect(read.status == .ok)
                #expect(!read.text.contains(GraphHarness.clientSecret))
            }
            #expect(try await client.call(.get, uri, key: fixture.viewerKey).status == .forbidden)

            // Sealed at rest, bound to the tenant, opened only with the same key.
            let sealed = try await harness.platform.control.pool.query(
                "SELECT secret_sealed FROM graph_registration WHERE tenant_id = \(fixture.tenantID)")[0].decode(Data.self, at: 0)
            #expect(sealed.range(of: Data(GraphHarness.clientSecret.utf8)) == nil)
            #expect(try await harness.platform.graphRegistrations.credentials(tenant: fixture.tenantID)?.clientSecret == GraphHarness.clientSecret)
            var otherKey = harness.platform
            otherKey.graph.secretKey = [UInt8](repeating: 1, count: 32)
            await #expect(throws: ServiceError.self) { _ = try await otherKey.graphRegistrations.credentials(tenant: fixture.tenantID) }
            let audit = try await client.call(.get, "\(fixture.uri)/audit?limit=500", key: fixture.ownerKey)
            #expect(audit.text.contains("graph.registration.save"))
            #expect(!audit.text.contains(GraphHarness.clientSecret))

            // A change without a secret keeps the stored one; the cloud picks the hosts when nothing overrides them.
            let moved = try await client.call(.put, uri, key: fixture.ownerKey, json: ["entra_tenant_id": "contoso.onmicrosoft.com", "client_id": GraphHarness.clientID, "cloud": "us_gov_l5"])
            #expect(moved["cloud"] as? String == "us_gov_l5")
            #expect(moved["entra_tenant_id"] as? String == "contoso.onmicrosoft.com")
            #expect(try await harness.platform.graphRegistrations.credentials(tenant: fixture.tenantID)?.clientSecret == GraphHarness.clientSecret)
            #expect(try await client.call(.delete, uri, key: fixture.adminKey).status == .forbidden)
            #expect(try await client.call(.delete, uri, key: fixture.ownerKey).status == .noContent)
            #expect(try await client.call(.get, uri, key: fixture.ownerKey).status == .notFound)
        }
        await harness.shutdown()
    }

    @Test("cloud hosts: global, US Gov L4 and L5, China; configuration overrides them")
    func clouds() {
        let plain = GraphSettings()
        #expect(plain.loginBase(for: .global) == "https://login.microsoftonline.com")
        #expect(plain.apiBase(for: .global) == "https://graph.microsoft.com/v1.0")
        #expect(plain.loginBase(for: .usGovL4) == "https://login.microsoftonline.us")
        #expect(plain.apiBase(for: .usGovL4) == "https://graph.microsoft.us/v1.0")
        #expect(plain.loginBase(for: .usGovL5) == "https://login.microsoftonline.us")
        #expect(plain.apiBase(for: .usGovL5) == "https://dod-graph.microsoft.us/v1.0")
        #expect(plain.loginBase(for: .china) == "https://login.chinacloudapi.cn")
        #expect(plain.apiBase(for: .china) == "https://microsoftgraph.chinacloudapi.cn/v1.0")
        #expect(GraphCloud.usGovL5.defaultScope == "https://dod-graph.microsoft.us/.default")
        let overridden = GraphSettings(loginURL: "http://127.0.0.1:9/", apiURL: "http://127.0.0.1:9/v1.0/")
        #expect(overridden.loginBase(for: .china) == "http://127.0.0.1:9")
        #expect(overridden.apiBase(for: .china) == "http://127.0.0.1:9/v1.0")
    }

    /// The admin-consent URL in a text, and its state.
    func adminConsentURL(in text: String) throws -> (url: URLComponents, state: String) {
        let line = try #require(text.split(whereSeparator: \.isNewline).first { $0.contains("/v2.0/adminconsent?") })
        let components = try #require(URLComponents(string: line.trimmingCharacters(in: .whitespaces)))
        let state = try #require(components.queryItems?.first { $0.name == "state" }?.value)
        return (components, state)
    }

    @Test("the consent email carries the admin-consent URL; Microsoft's callback grants once and schedules the first run; a refusal keeps its reason")
    func adminConsent() async throws {
        let harness = try await GraphHarness.make(.init(mailboxes: 2))
        try await harness.test { client in
            let fixture = try await GraphTenantFixture.create(client, harness: harness, grant: false)
            let fake = harness.tenant
            let mail = try #require(try await harness.platform.outbox.list().first)
            #expect(mail.recipient == "it@\(fake.domain)")
            let (url, state) = try adminConsentURL(in: mail.body)
            #expect("\(url.scheme ?? "")://\(url.host ?? ""):\(url.port ?? 0)" == harness.server.loginURL)
            #expect(url.path == "/\(fake.entraTenantID)/v2.0/adminconsent")
            let query = Dictionary(uniqueKeysWithValues: (url.queryItems ?? []).map { ($0.name, $0.value ?? "") })
            #expect(query["client_id"] == GraphHarness.clientID)
            #expect(query["scope"] == "https://graph.microsoft.com/.default")
            #expect(query["redirect_uri"] == "https://rapport.test/graph/consent/callback")
            let rapportLink = try #require(mail.body.split(separator: "\n").first { $0.contains("https://rapport.test/consent/") })
            let rapportPath = String(rapportLink[rapportLink.range(of: "/consent/")!.lowerBound...]).trimmingCharacters(in: .whitespaces)

            // A forged or missing state is not found; the real one grants, once.
            let encoded = state.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            #expect(try await client.page("/graph/consent/callback?admin_consent=True&tenant=\(fake.entraTenantID)&state=\(encoded.dropLast(2))AA").status == .notFound)
            #expect(try await client.page("/graph/consent/callback?admin_consent=True").status == .notFound)
            let granted = try await client.page("/graph/consent/callback?admin_consent=True&tenant=\(fake.entraTenantID)&state=\(encoded)")
            #expect(granted.status == .ok, "\(granted.text)")
            #expect(granted.text.contains("recorded"))
            let consent = try await client.call(.get, "\(fixture.uri)/consent", key: fixture.adminKey)
            #expect(consent["status"] as? String == "granted")
            #expect(consent["decided_by"] as? String == "microsoft-admin-consent:\(fake.entraTenantID)")
            let enrichment = try await client.call(.get, "\(fixture.base)/enrichment", key: fixture.adminKey)
            let next = try #require(ISO8601DateFormatter().date(from: enrichment["next_run_at"] as? String ?? ""))
            #expect(abs(next.timeIntervalSinceNow - 6 * 3600) < 120)
            #expect(try await client.call(.get, "\(fixture.uri)/graph", key: fixture.ownerKey)["consented_at"] is String)
            #expect(try await client.page("/graph/consent/callback?admin_consent=True&tenant=\(fake.entraTenantID)&state=\(encoded)").status == .gone)
            // The emailed Rapport link belonged to the same request: it is used up too.
            #expect(try await client.page(rapportPath).status == .gone)

            // In the console: a new URL for the Office 365 administrator; Microsoft reports a refusal.
            #expect(try await client.call(.post, "\(fixture.uri)/graph/admin-consent", key: fixture.viewerKey).status == .forbidden)
            let link = try await client.call(.post, "\(fixture.uri)/graph/admin-consent", key: fixture.o365Key)
            #expect(link.status == .created, "\(link.text)")
            let (_, consoleState) = try adminConsentURL(in: link["url"] as? String ?? "")
            let consoleEncoded = consoleState.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let elsewhere = try await client.page("/graph/consent/callback?admin_consent=True&tenant=\(UUID().uuidString)&state=\(consoleEncoded)")
            #expect(elsewhere.status == .gone)
            #expect(elsewhere.text.contains("names \(fake.entraTenantID)"))
            // The state is used up whatever the outcome: replayed without `tenant`, or as a refusal, it records nothing.
            #expect(try await client.page("/graph/consent/callback?admin_consent=True&state=\(consoleEncoded)").status == .gone)
            #expect(try await client.page("/graph/consent/callback?error=access_denied&state=\(consoleEncoded)").status == .gone)
            #expect(try await client.call(.get, "\(fixture.uri)/consent", key: fixture.adminKey)["status"] as? String == "granted")
            let again = try await client.call(.post, "\(fixture.uri)/graph/admin-consent", key: fixture.o365Key)
            let (_, freshState) = try adminConsentURL(in: again["url"] as? String ?? "")
            let freshEncoded = freshState.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let refused = try await client.page(
                "/graph/consent/callback?error=access_denied&error_description=AADSTS65004%3a+User+declined+to+consent+to+access+the+app.&state=\(freshEncoded)")
            #expect(refused.status == .ok, "\(refused.text)")
            let after = try await client.call(.get, "\(fixture.uri)/consent", key: fixture.adminKey)
            #expect(after["status"] as? String == "refused")
            #expect(after["reason"] as? String == "access_denied: AADSTS65004: User declined to consent to access the app.")
        }
        await harness.shutdown()
    }

    @Test("an admin-consent state is signed, bound to its purpose and expires")
    func stateToken() throws {
        let secret = [UInt8](repeating: 3, count: 32)
        let state = GraphConsentState(tenant: UUID(), id: UUID(), expiresAt: Date(timeIntervalSince1970: 2_000_000_000))
        let text = state.signed(with: secret)
        #expect(try GraphConsentState.verify(text, secret: secret, at: Date(timeIntervalSince1970: 1_900_000_000)) == state)
        #expect(throws: ConsentToken.Failure.expired) { try GraphConsentState.verify(text, secret: secret, at: Date(timeIntervalSince1970: 2_000_000_001)) }
        #expect(throws: ConsentToken.Failure.badSignature) { try GraphConsentState.verify(text, secret: [UInt8](repeating: 4, count: 32), at: Date(timeIntervalSince1970: 0)) }
        // A consent email's token is no admin-consent state, though both are built alike.
        let token = ConsentToken(tenant: state.tenant, request: state.id, expiresAt: state.expiresAt).signed(with: secret)
        #expect(throws: ConsentToken.Failure.badSignature) { try GraphConsentState.verify(token, secret: secret, at: Date(timeIntervalSince1970: 0)) }
    }

    @Test("a client secret Microsoft refuses fails the run with a step naming invalid_client, without retries")
    func invalidClient() async throws {
        let harness = try await GraphHarness.make(.init(mailboxes: 2, messagesPerMailbox: 5, meetingsPerMailbox: 2))
        try await harness.test { client in
            let fixture = try await GraphTenantFixture.create(client, harness: harness, secret: "an-expired-secret")
            let runID = try await fixture.runNow(client)
            #expect(try await harness.worker().runOnce())
            let run = try #require(try await harness.platform.runs.run(tenant: fixture.tenantID, id: runID))
            #expect(run.status == .failed)
            #expect(run.attempts == 1)
            let step = try #require(run.steps.first { $0.step == .collectEmail })
            #expect(step.state == .failed)
            let error = step.error ?? ""
            #expect(error.contains("invalid_client") && error.contains("client secret is wrong or has expired"), "\(error)")
            #expect(!error.contains("an-expired-secret"))
            #expect(harness.store.counters.requests == 0)
        }
        await harness.shutdown()
    }
}
