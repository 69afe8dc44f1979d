import ArgumentParser

/// The `rapport` command: the service, its workers and the operator's tools.
@main
struct Rapport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rapport",
        abstract: "Account engagement enrichment, self-hosted.",
        subcommands: [ParseCommand.self, ParseBenchCommand.self]
    )
}
