import ArgumentParser

/// The `rapport` command: the service, its workers and the operator's tools.
@main
struct Rapport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rapport",
        abstract: "Account engagement enrichment, self-hosted.",
        subcommands: [
            DatabaseCommand.self, MigrateCommand.self, StatusCommand.self, ServeCommand.self, TenantCommand.self,
            EnvironmentCommand.self, KeyCommand.self, LicenceCommand.self, DataverseCommand.self, CheckCommand.self,
            ImportCommand.self, EnrichCommand.self, WorkerCommand.self, DirectoryCommand.self,
            ParseCommand.self, BenchCommand.self, ParseBenchCommand.self, GenerateCommand.self, FakeGraphCommand.self, DemoCommand.self,
        ]
    )
}
