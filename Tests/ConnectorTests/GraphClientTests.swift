import AsyncHTTPClient
@testable import Connectors
import Engagement
import FakeGraph
import Foundation
import Ingest
import Logging
import Platform
import Testing

/// The production client (token provider, requester, resolver) against the live fake server.
@Suite("Graph client: tokens, retries and Retry-After, limits, directory, wire format")
struct GraphClientTests {
    /// A live fake and the collector's HTTP machinery, without databases.
    struct Client {
        let server: FakeGraphServer
        let http: HTTPClient
        let settings: GraphSettings
        var store: FakeGraphStore { server.store }
        var tenant: FakeTenant { server.store.tenant }

        static func make(_ parameters: FakeTenantGenerator.Parameters = .init(), configure: (inout GraphSettings) -> Void = { _ in }) async throws -> Client {
            let tenant = FakeTenantGenerator.generate(parameters)
            let store = FakeGraphStore(
                tenant: tenant, credentials: .init(tenantID: tenant.entraTenantID, clientID: GraphHarness.clientID, clientSecret: GraphHarness.clientSecret))
            let server = FakeGraphServer(store: store)
            try await server.start()
            var settings = GraphSettings(
                loginURL: server.loginURL, apiURL: server.apiURL, maximumConcurrency: 8, pageSize: 5, maximumRetries: 4, backoffBase: .milliseconds(10),
                backoffCap: .seconds(5))
            configure(&settings)
            return Client(server: server, http: HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup), settings: settings)
        }

        func credentials(secret: String = GraphHarness.clientSecret, tenantID: String? = nil, clientID: String = GraphHarness.clientID) -> GraphCredentials {
            GraphCredentials(
                registration: GraphRegistration(
                    tenantID: UUID(), entraTenantID: tenantID ?? tenant.entraTenantID, clientID: clientID, cloud: .global, hasSecret: true,
                    secretUpdatedAt: Date(), consentedAt: nil, createdAt: Date(), updatedAt: Date()),
                clientSecret: secret)
        }

        func tokens(_ credentials: GraphCredentials? = nil, now: @escaping @Sendable () -> Date = { Date() }) -> GraphTokenProvider {
            GraphTokenProvider(credentials: credentials ?? self.credentials(), settings: settings, http: http, now: now, logger: Logger(label: "test"))
        }

        func requester(_ tokens: GraphTokenProvider, global: Int? = nil, statistics: GraphStatistics = GraphStatistics()) -> GraphRequester {
            GraphRequester(
                http: http, tokens: tokens, settings: settings, global: AsyncSemaphore(permits: global ?? settings.maximumConcurrency),
                statistics: statistics, logger: Logger(label: "test"))
        }

        func close() async {
            try? await http.shutdown()
            await server.stop()
        }
    }

    @Test("a token is cached until shortly before it expires, shared by concurrent callers, and refreshed once on a 401")
    func tokens() async throws {
        let client = try await Client.make()
        let clock = Clock()
        let provider = client.tokens(now: { clock.now })
        let requester = client.requester(provider)
        let user = client.tenant.users[0].id
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<10 { group.addTask { _ = try await requester.get("\(client.settings.apiURL!)/users/\(user)") } }
            try await group.waitForAll()
        }
        #expect(client.store.counters.tokenRequests == 1)
        #expect(await provider.requests == 1)
        // 3599 s tokens are renewed five minutes early.
        clock.advance(3599 - 301)
        _ = try await requester.get("\(client.settings.apiURL!)/users/\(user)")
        #expect(await provider.requests == 1)
        clock.advance(2)
        _ = try await requester.get("\(client.settings.apiURL!)/users/\(user)")
        #expect(await provider.requests == 2)
        // Graph refuses the token (expired on its side): one refresh, the request repeated.
        client.store.expireTokens()
        let statistics = GraphStatistics()
        _ = try await client.requester(provider, statistics: statistics).get("\(client.settings.apiURL!)/users/\(user)")
        #expect(await provider.requests == 3)
        #expect(statistics.snapshot.tokenRefreshes == 1)
        #expect(client.store.counters.unauthorized == 1)
        await client.close()
    }

    @Test("invalid_client, an unknown app and an unknown tenant become errors that say what to fix")
    func credentialErrors() async throws {
        let client = try await Client.make()
        let user = client.tenant.users[0].id
        func failure(_ credentials: GraphCredentials) async -> GraphError? {
            do {
                _ = try await client.requester(client.tokens(credentials)).get("\(client.settings.apiURL!)/users/\(user)")
                return nil
            } catch {
                return error as? GraphError
            }
        }
        let secret = try #require(await failure(client.credentials(secret: "Xq9-not-the-secret")))
        #expect(secret.code == .credentialsRejected)
        #expect(secret.graphCode == "invalid_client")
        #expect(secret.message.contains("invalid_client") && secret.message.contains("client secret is wrong or has expired"))
        #expect(secret.message.contains("AADSTS7000215"))
        #expect(!secret.message.contains("Xq9-not-the-secret"))  // the secret itself is never echoed
        let app = try #require(await failure(client.credentials(clientID: "00000000-1111-2222-3333-444444444444")))
        #expect(app.graphCode == "unauthorized_client")
        #expect(app.message.contains("no application with client id"))
        let tenant = try #require(await failure(client.credentials(tenantID: "11111111-2222-3333-4444-555555555555")))
        #expect(tenant.message.contains("does not exist; correct entra_tenant_id"))
        #expect(client.store.counters.requests == 0)
        await client.close()
    }

    @Test("429, 503 and 504 wait what Retry-After says; 500 and 502 back off; the retries are bounded")
    func retries() async throws {
        let client = try await Client.make()
        let url = "\(client.settings.apiURL!)/users/\(client.tenant.users[0].id)"
        let statistics = GraphStatistics()
        let requester = client.requester(client.tokens(), statistics: statistics)
        _ = try await requester.get(url)  // the token first
        client.store.updateFaults {
            $0.retryAfterSeconds = 1
            $0.scripted = [429, 503, 504]
        }
        let started = ContinuousClock.now
        _ = try await requester.get(url)
        let waited = ContinuousClock.now - started
        #expect(waited >= .seconds(3), "waited \(waited)")
        // Retry-After's 1 s three times, not a backoff of its own on top (the margin is for a loaded machine).
        #expect(waited < .seconds(30))
        #expect(statistics.snapshot.throttled == 3)
        client.store.updateFaults { $0.scripted = [500, 502] }
        _ = try await requester.get(url)
        #expect(statistics.snapshot.transientRetries == 2)
        // Five throttled answers in a row exceed the budget of four retries.
        client.store.updateFaults {
            $0.retryAfterSeconds = 0
            $0.scripted = [429, 429, 429, 429, 429]
        }
        await #expect(throws: GraphError.self) { _ = try await requester.get(url) }
        client.store.updateFaults { $0.scripted = [] }
        // A 404 fails at once, naming Graph's code.
        do {
            _ = try await requester.get("\(client.settings.apiURL!)/users/nobody/mailFolders/inbox/messages/delta")
            Issue.record("a 404 must fail")
        } catch let error as GraphError {
            #expect(error.code == .notFound)
            #expect(error.graphCode == "ErrorInvalidUser")
        }
        await client.close()
    }

    @Test("at most four requests per mailbox and the global limit in flight")
    func limits() async throws {
        let client = try await Client.make(.init(mailboxes: 3)) { $0.maximumConcurrency = 6 }
        // Long enough that every permit is taken before the first answer, even on a busy machine.
        client.store.updateFaults { $0.latency = .milliseconds(400) }
        let requester = client.requester(client.tokens())
        let api = client.settings.apiURL!
        _ = try await requester.get("\(api)/users/\(client.tenant.users[0].id)")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for user in client.tenant.users.prefix(3) {
                let mailbox = AsyncSemaphore(permits: 4)
                for _ in 0..<8 {
                    group.addTask { _ = try await requester.get("\(api)/users/\(user.id)/mailFolders/inbox/messages/delta?$select=id", mailbox: mailbox) }
                }
            }
            try await group.waitForAll()
        }
        let counters = client.store.counters
        #expect(counters.maximumConcurrentPerMailbox == 4)
        #expect(counters.maximumConcurrent == 6)
        await client.close()
    }

    @Test("users resolve by mail or user principal name; groups by id, mail or name, through transitiveMembers' pages, users only")
    func directory() async throws {
        let client = try await Client.make(.init(mailboxes: 7))
        client.store.directoryPageSize = 2
        let tenant = client.tenant
        let resolver = GraphDirectoryResolver(requester: client.requester(client.tokens()), apiBase: client.settings.apiURL!)
        let resolved = try await resolver.resolve(
            addresses: [tenant.users[0].address.uppercased(), "nobody@\(tenant.domain)"], groups: ["Sales", "Nope"], tenantDomains: [tenant.domain])
        let staff = tenant.users.prefix(7)
        #expect(resolved.mailboxes.map(\.address) == (staff.map(\.address) + ["nobody@\(tenant.domain)"]).sorted())
        #expect(resolved.mailboxes.first { $0.address == "nobody@\(tenant.domain)" }?.directoryID == nil)
        for user in staff { #expect(resolved.mailboxes.first { $0.address == user.address }?.directoryID == user.id) }
        #expect(resolved.unknownAddresses == ["nobody@\(tenant.domain)"])
        #expect(resolved.unknownGroups == ["Nope"])
        #expect(resolved.foreignMembers == 1)
        // Sales (3 users, a nested group of 4, its loop and the guest) took several pages of two.
        let sales = try #require(tenant.groups.first { $0.displayName == "Sales" })
        let byID = try await resolver.resolve(addresses: [], groups: [sales.id], tenantDomains: [tenant.domain])
        #expect(byID.mailboxes.count == 7)
        let byMail = try await resolver.resolve(addresses: [], groups: ["sales@\(tenant.domain)"], tenantDomains: [tenant.domain])
        #expect(byMail.mailboxes == byID.mailboxes)
        await client.close()
    }

    @Test("every mailbox folder, paged to its deltaLink, parses to exactly the records the generator put in")
    func wireFormat() async throws {
        let client = try await Client.make(.init(mailboxes: 5, messagesPerMailbox: 40, meetingsPerMailbox: 24, seed: 5))
        let tenant = client.tenant
        let requester = client.requester(client.tokens())
        let sync = GraphFolderRequests(apiBase: client.settings.apiURL!, settings: client.settings)
        var collected: [ActivityRecord: Int] = [:]
        let now = Date()
        for user in tenant.users where user.hasMailbox && user.address.hasSuffix(tenant.domain) {
            for folder in [GraphFolder.inbox, .sentItems, .calendar] {
                var url: String? = sync.initial(mailbox: user.id, folder: folder, rangeStart: now.addingTimeInterval(-365 * 86_400), rangeEnd: now.addingTimeInterval(180 * 86_400)).url
                while let next = url {
                    let page = try GraphPageParser.parse(try await requester.get(next, prefer: sync.preferences))
                    for record in page.records { collected[record, default: 0] += 1 }
                    url = page.nextLink
                    if url == nil { #expect(page.deltaLink != nil) }
                }
            }
        }
        var expected: [ActivityRecord: Int] = [:]
        for record in tenant.servedRecords() { expected[record, default: 0] += 1 }
        #expect(collected.values.reduce(0, +) == expected.values.reduce(0, +))
        let missing = expected.filter { collected[$0.key] != $0.value }.keys
        #expect(missing.isEmpty, "\(missing.count) records differ, e.g. \(String(describing: missing.first))")
        #expect(collected == expected)
        #expect(client.store.counters.selectViolations == 0)
        await client.close()
    }
}

/// A settable clock.
final class Clock: @unchecked Sendable {
    private let lock = NSLock()
    private var current = Date()
    var now: Date { lock.withLock { current } }
    func advance(_ seconds: TimeInterval) { lock.withLock { current += seconds } }
}
