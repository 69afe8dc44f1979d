import ArgumentParser
import Foundation
import Ingest
import Platform

/// `rapport directory import`: the tenant's users and groups from CSV files.
struct DirectoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "directory", abstract: "Load the tenant's directory.", subcommands: [Import.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Replace the directory: USERS.csv (id,mail,user_principal_name,display_name) and GROUPS.csv (group_id,display_name,mail,member_id), or one JSON file.")
        @OptionGroup var tenant: TenantOptions
        @Argument(help: "USERS.csv and GROUPS.csv, or directory.json ({\"users\": [...], \"groups\": [...]}).") var files: [String]

        func run() async throws {
            let directory = try OperatorContext.orFail { try DirectoryFiles.read(files) }
            try await OperatorContext.run { context in
                let owner = try await context.control.findTenant(tenant.tenant)
                try await context.runtime.services.platform.directory.replace(tenant: owner.id, with: directory)
                print("directory of \(owner.name): \(directory.users.count) users, \(directory.groups.count) groups")
            }
        }
    }
}
