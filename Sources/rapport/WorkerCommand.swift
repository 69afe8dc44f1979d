import AdminAPI
import ArgumentParser
import Connectors
import Engagement
import Foundation
import Logging
import ServiceLifecycle
import Platform
import Worker

/// `rapport worker --region uk|eu|na`: a region-bound worker.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker", abstract: "Run a worker that claims and executes the runs of one region.")

    @Option(help: "uk, eu or na.") var region: String
    @Option(help: "Seconds a claim lasts without a heartbeat.") var leaseSeconds: Double = 60
    @Option(help: "Seconds between polls when idle.") var pollSeconds: Int = 5
    @Flag(help: "Execute the due runs, then exit.") var once = false

    func run() async throws {
        guard let region = Region(rawValue: region) else { throw ValidationError("--region must be uk, eu or na") }
        let settings = try await AppSettings.loadOrFail()
        let logger = Logger(label: "rapport.worker", level: settings.logLevel)
        // A worker opens the control database and its own region's database only.
        var runtime = try await AppRuntime.open(settings.restricted(to: region), logger: logger)
        let pauseAt = ProcessInfo.processInfo.environment["RAPPORT_WORKER_PAUSE_AT"].flatMap(RunStep.init(rawValue:))
        // Microsoft Graph (issue 8): environments whose tenant has an app registration collect from it.
        let graph = GraphCollector(platform: runtime.services.platform, logger: logger)
        // Dataverse (issue 17): environments with an attached organization export to it, and the checklist asks it.
        let dataverse = DataverseConnector(platform: runtime.services.platform, logger: logger)
        runtime.services.platform.dataverseProbe = dataverse
        let webhooks = WebhookSender(platform: runtime.services.platform, logger: logger)
        let worker = RegionWorker(
            platform: runtime.services.platform,
            configuration: .init(
                region: region, lease: leaseSeconds, pollInterval: .seconds(pollSeconds), pauseAt: pauseAt,
                statementTimeout: settings.runStatementTimeout),
            collectors: [graph], exporters: [dataverse], logger: logger)
        if once {
            do {
                while try await worker.runOnce() {}
                try await webhooks.sendDue(at: runtime.platform.now())
            } catch {
                try? await graph.shutdown()
                try? await dataverse.shutdown()
                await runtime.shutdown()
                throw error
            }
            try? await graph.shutdown()
            try? await dataverse.shutdown()
            await runtime.shutdown()
        } else {
            // The pools first and the HTTP clients next, so they shut down after the worker.
            let services: [any Service] = runtime.pools + [graph, dataverse, webhooks, worker]
            let group = ServiceGroup(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
            try await group.run()
        }
    }
}
