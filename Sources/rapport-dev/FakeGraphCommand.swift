import ArgumentParser
import FakeGraph
import Foundation
import Logging
import ServiceLifecycle

/// `rapport-dev fake-graph`: a fake Microsoft Graph for development, serving a generated tenant or a folder of JSON files.
struct FakeGraphCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fake-graph",
        abstract: "Serve a fake Microsoft Graph (token endpoint, directory, mail and calendar delta) on a local port.",
        discussion: """
            Point Rapport at it with graph.login.url=http://HOST:PORT and graph.api.url=http://HOST:PORT/v1.0 \
            (RAPPORT_GRAPH_LOGIN_URL, RAPPORT_GRAPH_API_URL), and register the printed tenant, client id and secret \
            with PUT /v1/tenants/{tenant}/graph. docs/graph.md describes the --tenant-dir layout.
            """)

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on (0: any free port).") var port = 9400
    @Option(help: "Serve the tenant in this folder instead of a generated one.") var tenantDir: String?
    @Option(help: "Write the generated tenant to this folder (the --tenant-dir layout) before serving it.") var writeTenant: String?
    @Option(help: "Generated mailboxes.") var mailboxes = 10
    @Option(help: "Messages each generated mailbox owner sends or receives.") var messages = 400
    @Option(help: "Meeting occurrences per generated mailbox.") var meetings = 100
    @Option(help: "External accounts the generated mail goes to.") var accounts = 20
    @Option(help: "Seed of the generator.") var seed: UInt64 = 1
    @Option(help: "The client id the token endpoint accepts.") var clientId = "3f8e6a2c-1b4d-4e5f-9a8b-7c6d5e4f3a2b"
    @Option(help: "The client secret the token endpoint accepts.") var clientSecret = "fake-graph-secret"
    @Option(help: "Fraction of Graph requests answered 429 (0 to 1).") var throttle = 0.0
    @Option(help: "Retry-After seconds sent with a 429.") var retryAfter = 1
    @Option(help: "Milliseconds added to every Graph answer.") var latencyMs = 0

    func run() async throws {
        let store: FakeGraphStore
        if let tenantDir {
            store = try FakeTenantFiles.load(from: URL(fileURLWithPath: tenantDir), clientID: clientId, clientSecret: clientSecret)
        } else {
            let tenant = FakeTenantGenerator.generate(
                .init(mailboxes: mailboxes, messagesPerMailbox: messages, meetingsPerMailbox: meetings, externalAccounts: accounts, seed: seed))
            if let writeTenant { try FakeTenantFiles.write(tenant, to: URL(fileURLWithPath: writeTenant)) }
            store = FakeGraphStore(tenant: tenant, credentials: .init(tenantID: tenant.entraTenantID, clientID: clientId, clientSecret: clientSecret))
        }
        store.updateFaults {
            $0.throttleRate = throttle
            $0.retryAfterSeconds = retryAfter
            $0.latency = .milliseconds(latencyMs)
        }
        let logger = Logger(label: "rapport.fake-graph", level: .info)
        let server = FakeGraphServer(store: store)
        let tenant = store.tenant
        let app = server.application(host: host, port: port, logger: logger) { bound in
            store.baseURL = "http://\(host):\(bound)"
            print("""
                fake Microsoft Graph on http://\(host):\(bound)
                  graph.login.url = http://\(host):\(bound)     graph.api.url = http://\(host):\(bound)/v1.0
                  entra_tenant_id = \(tenant.entraTenantID)   client_id = \(clientId)   client_secret = \(clientSecret)
                  \(tenant.users.count) users, \(tenant.groups.count) groups (\(tenant.groups.map(\.displayName).joined(separator: ", ")))
                """)
        }
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
