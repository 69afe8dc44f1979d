import ArgumentParser
import Foundation
import Postgres
import Platform

/// `rapport migrate`: applies `sql/control` and `sql/region` everywhere.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply pending migrations to the control database and every region database.")
    @OptionGroup var options: DatabaseOptions

    func run() async throws {
        do {
            let migrations = SchemaMigrations(sqlFolder: try SchemaMigrations.locateSQLFolder())
            for outcome in try await migrations.migrateAll(options.databases()) {
                let applied = outcome.applied.isEmpty ? "up to date" : "applied \(outcome.applied.joined(separator: ", "))"
                print("\(outcome.database): version \(outcome.version), \(applied)")
            }
        } catch let error as PostgresError {
            fail(error.description)
        }
    }
}
