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
        let settings = try await ServiceSettings.load()
        let logger = Logger(label: "rapport.worker", level: settings.logLevel)
        // A worker opens the control database and its own region's database only.
        let runtime = try await ServiceRuntime.start(settings.restricted(to: region), logger: logger)
        let pauseAt = ProcessInfo.processInfo.environment["RAPPORT_WORKER_PAUSE_AT"].flatMap(RunStep.init(rawValue:))
        // Microsoft Graph (issue 8): environments whose tenant has an app registration collect from it.
        let graph = GraphCollector(platform: runtime.services.platform, logger: logger)
        let worker = RegionWorker(
            platform: runtime.services.platform,
            configuration: .init(
                region: region, lease: leaseSeconds, pollInterval: .seconds(pollSeconds), pauseAt: pauseAt,
                statementTimeout: settings.runStatementTimeout),
            collectors: [graph], logger: logger)
        if once {
            while try await worker.runOnce() {}
        } else {
            let group = ServiceGroup(
                configuration: .init(services: [.init(service: worker)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            try await group.run()
        }
        try? await graph.shutdown()
        await runtime.shutdown()
    }
}
