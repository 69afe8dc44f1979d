import FakeDataverse
import Foundation
import Ingest
import Testing

/// Tokens (client credentials), the bearer check per organization, membership and roles, WhoAmI.
@Suite("Fake Dataverse: tokens, audience, membership, WhoAmI")
struct AccessTests {
    @Test("a token is issued for a registered organization's /.default scope (also //.default) and refused with the identity platform's codes")
    func tokens() async throws {
        try await FakeDataverseHarness.run { harness in
            let ok = try await harness.tokenReply()
            #expect(ok.status == 200)
            #expect(ok.json?["token_type"]?.stringValue == "Bearer")
            #expect(ok.json?["expires_in"] == .number(3599))
            #expect(ok.json?["access_token"]?.stringValue?.isEmpty == false)
            // Microsoft's own sample builds the scope as serviceUrl + "//.default".
            #expect(try await harness.tokenReply(scope: "https://\(FakeDataverseHarness.host)//.default").status == 200)
            // The tenant may be named by a domain.
            #expect(try await harness.tokenReply(tenant: "contoso.onmicrosoft.com").status == 200)

            func code(_ reply: FakeDataverseHarness.Reply) -> Double? { reply.json?["error_codes"]?.arrayValue?.first.flatMap { if case .number(let n) = $0 { n } else { nil } } }
            let tenant = try await harness.tokenReply(tenant: "00000000-0000-0000-0000-000000000000")
            #expect(tenant.status == 400 && code(tenant) == 90002)
            let app = try await harness.tokenReply(clientID: "11111111-1111-1111-1111-111111111111")
            #expect(app.status == 400 && code(app) == 700016 && app.json?["error"]?.stringValue == "unauthorized_client")
            let secret = try await harness.tokenReply(secret: "wrong")
            #expect(secret.status == 401 && code(secret) == 7000215 && secret.json?["error"]?.stringValue == "invalid_client")
            let grant = try await harness.tokenReply(grantType: "password")
            #expect(grant.status == 400 && code(grant) == 70003)
            let resource = try await harness.tokenReply(scope: "https://unknown.crm.dynamics.com/.default")
            #expect(resource.status == 400 && code(resource) == 500011)
            #expect(resource.json?["error_description"]?.stringValue?.contains("The resource principal named https://unknown.crm.dynamics.com was not found") == true)
            let notDefault = try await harness.tokenReply(scope: "https://\(FakeDataverseHarness.host)/user_impersonation")
            #expect(notDefault.status == 400 && notDefault.json?["error"]?.stringValue == "invalid_scope")

            harness.store.updateFaults { $0.tokenLifetime = 60 }
            #expect(try await harness.tokenReply().json?["expires_in"] == .number(60))
            #expect(harness.store.counters.tokenRequests == 10)
            #expect(harness.store.counters.tokenRefusals == 6)
        }
    }

    @Test("no token, an unknown or expired one, or one for another organization: 401 with a bearer challenge")
    func audience() async throws {
        try await FakeDataverseHarness.run { harness in
            let none = try await harness.send("GET", "\(harness.api)/WhoAmI", headers: [("Accept", "application/json")])
            #expect(none.status == 401)
            let challenge = try #require(none.header("WWW-Authenticate"))
            #expect(challenge.hasPrefix("Bearer authorization_uri=\(harness.base)/\(FakeDataverseHarness.tenantID)/oauth2/authorize"))
            #expect(challenge.contains("resource_id=https://\(FakeDataverseHarness.host)/"))
            #expect(none.header("OData-Version") == "4.0")
            #expect(none.json?["error"] != nil)

            // A token whose audience is the stranger organization.
            let other = try await harness.token(for: FakeDataverseHarness.strangerHost)
            let wrong = try await harness.api("GET", "WhoAmI", token: other)
            #expect(wrong.status == 401)
            #expect(wrong.header("WWW-Authenticate") != nil)
            #expect(try await harness.api("GET", "WhoAmI", token: "made-up").status == 401)

            let token = try await harness.token()
            #expect(try await harness.api("GET", "WhoAmI", token: token).status == 200)
            harness.store.expireTokens()
            #expect(try await harness.api("GET", "WhoAmI", token: token).status == 401)
            harness.store.updateFaults { $0.tokenLifetime = 0 }
            let shortLived = try await harness.token()
            try await Task.sleep(for: .milliseconds(20))
            #expect(try await harness.api("GET", "WhoAmI", token: shortLived).status == 401)
        }
    }

    @Test("an app that is no application user gets 403 0x80072560 everywhere; one without a role only reaches WhoAmI")
    func membership() async throws {
        try await FakeDataverseHarness.run { harness in
            let stranger = try await harness.token(for: FakeDataverseHarness.strangerHost)
            for path in ["WhoAmI", "EntityDefinitions?$select=LogicalName", "accounts"] {
                let reply = try await harness.api("GET", path, token: stranger, host: FakeDataverseHarness.strangerHost)
                #expect(reply.status == 403)
                #expect(reply.errorCode == "0x80072560")
                #expect(reply.errorMessage == "The user is not a member of the organization.")
            }
            let roleless = try await harness.token(for: FakeDataverseHarness.rolelessHost)
            #expect(try await harness.api("GET", "WhoAmI", token: roleless, host: FakeDataverseHarness.rolelessHost).status == 200)
            let refused = try await harness.api("GET", "accounts", token: roleless, host: FakeDataverseHarness.rolelessHost)
            #expect(refused.status == 403)
            #expect(refused.errorCode == "0x80042f09")

            // Made an application user, the stranger organization lets the app in.
            harness.store.setApplicationUser(.init(clientID: FakeDataverseHarness.clientID), in: FakeDataverseHarness.strangerHost)
            #expect(try await harness.api("GET", "WhoAmI", token: stranger, host: FakeDataverseHarness.strangerHost).status == 200)
        }
    }

    @Test("WhoAmI (and WhoAmI()) names the user, business unit and organization, with x-ms-dop-hint and the fake's URLs")
    func whoAmI() async throws {
        try await FakeDataverseHarness.run { harness in
            let token = try await harness.token()
            let reply = try await harness.api("GET", "WhoAmI", token: token)
            #expect(reply.status == 200)
            #expect(reply.header("Content-Type")?.hasPrefix("application/json; odata.metadata=minimal") == true)
            #expect(reply.header("OData-Version") == "4.0")
            #expect(reply.header("x-ms-dop-hint").flatMap(Int.init) != nil)
            #expect(reply.header("x-ms-ratelimit-burst-remaining-xrm-requests") == "5999")
            #expect(reply.header("x-ms-ratelimit-time-remaining-xrm-requests") != nil)
            let organization = try #require(harness.store.organization(FakeDataverseHarness.host))
            #expect(reply.json?["@odata.context"]?.stringValue == "\(harness.api)/$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse")
            #expect(reply.json?["UserId"]?.stringValue == FakeDataverseHarness.userID.uuidString.lowercased())
            #expect(reply.json?["OrganizationId"]?.stringValue == organization.organizationID.uuidString.lowercased())
            #expect(reply.json?["BusinessUnitId"]?.stringValue == organization.businessUnitID.uuidString.lowercased())
            #expect(try await harness.api("GET", "WhoAmI()", token: token).status == 200)
            #expect(try await harness.api("POST", "WhoAmI", token: token, json: "{}").status == 405)
        }
    }

    @Test("faults: scripted answers, random throttling with a chosen code, an unreachable host")
    func faults() async throws {
        try await FakeDataverseHarness.run { harness in
            let token = try await harness.token()
            harness.store.updateFaults {
                $0.scripted = [.init(status: 503, code: "", message: "down for a moment"), .init(status: 429, code: "0x80072321")]
            }
            #expect(try await harness.api("GET", "WhoAmI", token: token).status == 503)
            let throttled = try await harness.api("GET", "WhoAmI", token: token)
            #expect(throttled.status == 429 && throttled.errorCode == "0x80072321" && throttled.header("Retry-After") == "1")
            #expect(try await harness.api("GET", "WhoAmI", token: token).status == 200)

            harness.store.updateFaults {
                $0.throttleRate = 1
                $0.throttleCode = "0x80072322"
                $0.retryAfterSeconds = 7
            }
            let random = try await harness.api("GET", "WhoAmI", token: token)
            #expect(random.status == 429 && random.header("Retry-After") == "7")
            #expect(random.errorMessage == "Number of requests exceeded the limit of 6000 over time window of 300 seconds.")
            harness.store.updateFaults {
                $0.throttleRate = 0
                $0.unreachableHosts = [FakeDataverseHarness.host]
            }
            #expect(try await harness.api("GET", "WhoAmI", token: token).status == 503)
            #expect(harness.store.counters.throttled["0x80072322"] == 1)
            #expect(harness.store.counters.throttled["0x80072321"] == 1)
        }
    }
}
