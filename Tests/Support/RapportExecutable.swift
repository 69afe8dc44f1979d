import Foundation
import Postgres

/// Runs the built `rapport` executable, as a user would from the shell.
public enum RapportExecutable {
    /// The `rapport` binary next to the test bundle in the build folder.
    public static var url: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("rapport")
    }

    /// Runs `rapport arguments…` with `environment` added to (and overriding) this process's.
    public static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> ChildProcess.Result {
        var command = ["/usr/bin/env"]
        // Database URLs of the developer's shell must not leak into the command under test.
        for key in ["RAPPORT_CONTROL_DATABASE_URL", "RAPPORT_UK_DATABASE_URL", "RAPPORT_EU_DATABASE_URL", "RAPPORT_NA_DATABASE_URL"] {
            command += ["-u", key]
        }
        command += environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        command += [url.path] + arguments
        return try ChildProcess.run(command)
    }
}
