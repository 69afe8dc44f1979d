import ArgumentParser

/// The `rapport` command: the service, its workers and the operator's tools.
///
/// Only what an operator runs in production; the demo, the generator, the fake
/// Graph and the benchmarks are `rapport-dev`, which this binary does not link.
@main
struct Rapport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rapport",
        abstract: "Account engagement enrichment, self-hosted.",
        subcommands: [
            DatabaseCommand.self, MigrateCommand.self, StatusCommand.self, ServeCommand.self, TenantCommand.self,
            EnvironmentCommand.self, KeyCommand.self, LicenceCommand.self, DataverseCommand.self, CheckCommand.self,
            ImportCommand.self, EnrichCommand.self, WorkerCommand.self, DirectoryCommand.self,
            ParseCommand.self,
        ]
    )
}
