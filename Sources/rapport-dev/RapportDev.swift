import ArgumentParser
import Foundation

/// `rapport-dev`: the product on a generated organization, and the tools to build and measure it.
///
/// Never deployed: it links the generator, the fake Microsoft Graph and the
/// benchmarks, which the production `rapport` binary does not.
@main
struct RapportDev: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rapport-dev",
        abstract: "Rapport's demo, generator, fake Microsoft Graph and benchmarks.",
        subcommands: [DemoCommand.self, GenerateCommand.self, FakeGraphCommand.self, BenchCommand.self, ParseBenchCommand.self]
    )
}

/// Prints an error the way every command does and exits with `code`.
func fail(_ message: String, code: Int32 = 2) -> Never {
    FileHandle.standardError.write(Data("rapport-dev: \(message)\n".utf8))
    exit(code)
}
