import Foundation
import Postgres

/// Runs the built `rapport` (or `rapport-dev`) executable, as a user would from the shell.
public enum RapportExecutable {
    /// The `rapport` binary next to the test bundle in the build folder.
    public static var url: URL { binary("rapport") }

    static func binary(_ name: String) -> URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(name)
    }

    /// Runs `rapport-dev arguments…` (the demo, the generator, the benchmarks) likewise.
    public static func runDev(_ arguments: [String], environment: [String: String] = [:]) async throws -> ChildProcess.Result {
        try await run(arguments, environment: environment, binary: binary("rapport-dev"))
    }

    /// Runs `rapport arguments…` with `environment` added to (and overriding) this process's.
    ///
    /// The wait for the child happens on a thread of its own: a command can take minutes, and a
    /// cooperative thread blocked that long starves every other test of the process.
    public static func run(_ arguments: [String], environment: [String: String] = [:], binary: URL = url) async throws -> ChildProcess.Result {
        var command = ["/usr/bin/env"]
        // Database URLs of the developer's shell must not leak into the command under test.
        for key in ["RAPPORT_CONTROL_DATABASE_URL", "RAPPORT_UK_DATABASE_URL", "RAPPORT_EU_DATABASE_URL", "RAPPORT_NA_DATABASE_URL"] {
            command += ["-u", key]
        }
        command += environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        command += [binary.path] + arguments
        let finalCommand = command
        return try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try ChildProcess.run(finalCommand) })
            }
        }
    }
}
