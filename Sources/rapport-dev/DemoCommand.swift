import AdminAPI
import ArgumentParser
import Configuration
import Connectors
import Engagement
import FakeDataverse
import FakeGraph
import Foundation
import Generator
import Logging
import ServiceLifecycle
import Platform
import Worker

/// `rapport-dev demo`: the whole product on one machine, from an empty installation to the pages.
///
/// Starts (or reuses) the local cluster and migrates it; generates an organization into
/// `<data dir>/demo/organization`; serves its mailboxes from an in-process fake Microsoft Graph;
/// brings the "Demo Org" tenant to every prerequisite met with an environment per region; grants
/// consent; runs the enrichment of each environment through its region's worker and the Graph
/// connector, exporting each result to its Dataverse organization (three organizations behind an
/// in-process fake Dataverse); prints a summary; then serves the pages with the scheduler and the three workers.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Generate an organization, enrich it through the Graph connector in all three regions, print a summary, serve the pages.",
        discussion: "Running it again reuses the tenant, refreshes its data, runs again and prints a new sign-in key.")

    @Option(help: "Business accounts of the generated organization.") var accounts = 300
    @Option(help: "Selected mailboxes of the generated organization.") var mailboxes = 24
    @Option(help: "The generator's seed.") var seed: UInt64 = 2026
    @Option(help: "Address to serve on (http.host, default 127.0.0.1).") var host: String?
    @Option(help: "Port to serve on (http.port, default 8080).") var port: Int?
    @Option(help: "A JSON configuration file (RAPPORT_CONFIG_FILE).") var config: String?
    @Flag(help: "Stop after the summary instead of serving the pages.") var noServe = false

    func validate() throws {
        guard accounts >= 1 else { throw ValidationError("--accounts must be at least 1") }
        guard (2...2500).contains(mailboxes) else { throw ValidationError("--mailboxes must be 2 to 2,500") }
    }

    func run() async throws {
        var flags: [AbsoluteConfigKey: ConfigValue] = [:]
        if let host { flags["http.host"] = ConfigValue(.string(host), isSecret: false) }
        if let port { flags["http.port"] = ConfigValue(.int(port), isSecret: false) }
        var settings: AppSettings
        do {
            settings = try await AppSettings.load(flags: flags, configFile: config)
        } catch let failure as SettingsError {
            fail(failure.description)
        }
        let logger = Logger(label: "rapport.demo", level: max(settings.logLevel, .warning))

        // The organization, as of today 00:00 UTC: its files, and its mailboxes behind a fake Graph.
        let folder = settings.dataDirectory.deletingLastPathComponent().appendingPathComponent("demo/organization")
        let now = Int(Date().timeIntervalSince1970)
        let asOf = Date(timeIntervalSince1970: TimeInterval(now - now % 86_400))
        let organization = SyntheticOrganization(
            OrganizationSpec(seed: seed, accounts: accounts, mailboxes: mailboxes, asOf: asOf, domain: "demo-org.example"))
        try? FileManager.default.removeItem(at: folder)
        let figures = try OrganizationWriter(organization: organization, formats: [.graph]).write(to: folder)
        printLine("""
            generated \(folder.path): \(organization.accounts.count) accounts, \(organization.contacts.count) contacts, \
            \(organization.mailboxes.count) mailboxes, \(figures.emails) emails, \(figures.meetingOccurrences) meeting occurrences
            """)
        let clientID = "5d0a6c1e-7b3f-4e2a-9c8d-1f0e2d3c4b5a"
        let clientSecret = (0..<24).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        let store = try FakeTenantFiles.load(from: folder.appendingPathComponent("graph"), clientID: clientID, clientSecret: clientSecret)
        let fakeGraph = FakeGraphServer(store: store)
        _ = try await fakeGraph.start(logger: logger)
        settings.graph.loginURL = fakeGraph.loginURL
        settings.graph.apiURL = fakeGraph.apiURL
        printLine("fake Microsoft Graph on \(fakeGraph.loginURL) serving the organization's mailboxes")
        let fakeDataverse = FakeDataverseServer(store: FakeDataverseStore(
            app: FakeDataverseApp(tenantID: store.credentials.tenantID, clientID: clientID, clientSecret: clientSecret),
            organizations: DemoTenant.environments.map { entry in
                FakeDataverseOrganization(host: entry.dataverseHost, organizationID: entry.organizationID, applicationUsers: [.init(clientID: clientID)])
            }))
        try await fakeDataverse.start(logger: logger)
        settings.dataverse.loginURL = fakeDataverse.baseURL
        settings.dataverse.apiURL = fakeDataverse.baseURL
        printLine("fake Dataverse on \(fakeDataverse.baseURL) holding \(DemoTenant.environments.map(\.dataverseHost).joined(separator: ", "))")

        var runtime = try await AppRuntime.open(settings, logger: logger)
        let dataverse = DataverseConnector(platform: runtime.platform, logger: logger)
        runtime.services.platform.dataverseProbe = dataverse
        let platform = runtime.platform
        let collector = GraphCollector(platform: platform, logger: logger)
        let connectors = DemoConnectors(collector: collector, dataverse: dataverse)
        do {
            try await runtime.migrate()
            let demo = try await DemoTenant.prepare(
                platform: platform, organization: organization, folder: folder,
                graph: .init(entraTenantID: store.credentials.tenantID, clientID: clientID, clientSecret: clientSecret))
            printLine("""
                tenant \(demo.tenant.name): licence active, \(demo.environments.map { "\($0.name) (\($0.region.rawValue))" }.joined(separator: ", ")) \
                with Dataverse attached and customer data imported; the enrichment saved; consent \(demo.consentGranted ? "granted" : "already granted")
                """)
            let runs = try await enrich(demo, platform: platform, asOf: asOf, connectors: connectors, logger: logger)
            let summary = DemoSummary(platform: platform, demo: demo, organization: organization, figures: figures)
            let mismatched = try await summary.report(runs: runs)
            let unexported = summary.reportDataverse(fakeDataverse.store, runs: runs)
            guard runs.allSatisfy({ $0.status == .succeeded }) else {
                for run in runs where run.status != .succeeded {
                    let failedStep = run.steps.first { $0.state == .failed }
                    printLine("run \(run.id) \(run.status.rawValue): \(failedStep.map { "\($0.step.rawValue): " } ?? "")\(failedStep?.error ?? run.error ?? "")")
                }
                throw ExitCode(1)
            }
            if !mismatched.isEmpty {
                printLine("enriched customers differ from the generator's expectation in \(mismatched.joined(separator: ", "))")
                throw ExitCode(1)
            }
            if !unexported.isEmpty {
                printLine("the Dataverse export is incomplete in \(unexported.joined(separator: ", "))")
                throw ExitCode(1)
            }
            if noServe {
                printLine("\nSign in with the owner's key: \(demo.ownerKey)\n(`rapport serve` serves the pages; `rapport worker --region …` runs the schedule)")
            } else {
                try await serve(settings: settings, runtime: runtime, demo: demo, connectors: connectors)
            }
        } catch {
            try? await connectors.shutdown()
            await fakeDataverse.stop()
            await fakeGraph.stop()
            await runtime.shutdown()
            throw error
        }
        try await connectors.shutdown()
        await fakeDataverse.stop()
        await fakeGraph.stop()
        await runtime.shutdown()
    }

    /// Queues a run of each environment as of the organization's day and lets each region's worker execute it.
    private func enrich(
        _ demo: DemoTenant, platform: Platform, asOf: Date, connectors: DemoConnectors, logger: Logger
    ) async throws -> [RunRecord] {
        // The fake organizations start empty on every demo: what an earlier demo exported is forgotten.
        for (environment, entry) in zip(demo.environments, DemoTenant.environments) {
            try await platform.scope(for: environment).dataverseExport.forgetAll(organization: entry.organizationID)
        }
        let queued = try await demo.queueRuns(platform: platform, asOf: asOf)
        printLine("running the enrichment of each environment through its region's worker, the Graph connector and the Dataverse export…")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for region in Set(demo.environments.map(\.region)) {
                group.addTask {
                    let worker = RegionWorker(
                        platform: platform, configuration: .init(region: region, workerID: "demo/\(region.rawValue)"), collectors: [connectors.collector],
                        exporters: [connectors.dataverse], logger: logger)
                    while try await worker.runOnce() {}
                }
            }
            try await group.waitForAll()
        }
        var finished: [RunRecord] = []
        for run in queued {
            finished.append(try await platform.runs.run(tenant: demo.tenant.id, id: run.id) ?? run)
        }
        return finished
    }

    /// Serves the pages, the scheduler and a worker per region until SIGINT or SIGTERM.
    private func serve(settings: AppSettings, runtime: AppRuntime, demo: DemoTenant, connectors: DemoConnectors) async throws {
        let logger = Logger(label: "rapport", level: settings.logLevel)
        let platform = runtime.platform
        var services: [any Service] = [
            SchedulerService(scheduler: EnrichmentScheduler(platform: platform), interval: .seconds(settings.schedulerInterval), logger: logger),
            WebhookSender(platform: platform, logger: logger),
        ]
        for region in Region.allCases {
            services.append(
                RegionWorker(
                    platform: platform, configuration: .init(region: region), collectors: [connectors.collector], exporters: [connectors.dataverse],
                    logger: logger))
        }
        let environment = demo.environments.first { $0.region == .eu } ?? demo.environments[0]
        printLine("""

            The pages: http://\(settings.host):\(settings.port)/ui
            Sign in with the owner's key: \(demo.ownerKey)
            (\(environment.name): http://\(settings.host):\(settings.port)/ui/environments/\(environment.id.uuidString.lowercased())/results)
            Ctrl-C stops the server; `rapport-dev demo` again starts over with fresh data.
            """)
        try await AdminApplication.build(runtime: runtime, settings: settings, services: services, logger: logger).runService()
    }
}

/// The demo's connectors to the fake services: shared by the first runs and the served workers.
struct DemoConnectors {
    let collector: GraphCollector
    let dataverse: DataverseConnector

    func shutdown() async throws {
        try await collector.shutdown()
        try await dataverse.shutdown()
    }
}
