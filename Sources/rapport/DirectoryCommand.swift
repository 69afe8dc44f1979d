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
            let directory = try Self.read(files)
            try await OperatorContext.run { context in
                let owner = try await context.control.findTenant(tenant.tenant)
                try await context.runtime.services.platform.directory.replace(tenant: owner.id, with: directory)
                print("directory of \(owner.name): \(directory.users.count) users, \(directory.groups.count) groups")
            }
        }

        static func read(_ files: [String]) throws -> Directory {
            if files.count == 1, files[0].hasSuffix(".json") {
                guard let data = FileManager.default.contents(atPath: files[0]) else { fail("\(files[0]): cannot read the file") }
                let decoder = JSONDecoder()
                decoder.keyDecodingStrategy = .convertFromSnakeCase
                do {
                    return try decoder.decode(Directory.self, from: data)
                } catch {
                    fail("\(files[0]): not a directory JSON file: \(error)")
                }
            }
            guard files.count == 2 else { throw ValidationError("give USERS.csv and GROUPS.csv, or one directory.json") }
            let users = try rows(files[0], required: ["id"]).map { row in
                Directory.User(id: row["id"]!, mail: row["mail"].flatMap(nonEmpty), userPrincipalName: row["user_principal_name"].flatMap(nonEmpty), displayName: row["display_name"].flatMap(nonEmpty))
            }
            var groups: [String: Directory.Group] = [:]
            var order: [String] = []
            for row in try rows(files[1], required: ["group_id"]) {
                let id = row["group_id"]!
                if groups[id] == nil {
                    groups[id] = Directory.Group(id: id, displayName: row["display_name"].flatMap(nonEmpty), mail: row["mail"].flatMap(nonEmpty), members: [])
                    order.append(id)
                }
                if let member = row["member_id"].flatMap(nonEmpty) { groups[id]!.members.append(member) }
            }
            return Directory(users: users, groups: order.map { groups[$0]! })
        }

        static func nonEmpty(_ text: String) -> String? { text.isEmpty ? nil : text }

        /// The rows of a CSV file as dictionaries by lowercase header.
        static func rows(_ path: String, required: [String]) throws -> [[String: String]] {
            guard let data = FileManager.default.contents(atPath: path) else { fail("\(path): cannot read the file") }
            let table: [CSVReader.Row]
            do {
                table = try CSVReader.rows(Array(data))
            } catch {
                fail("\(path): \(error)")
            }
            guard let header = table.first?.fields.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) else {
                fail("\(path): the file has no header row")
            }
            for name in required where !header.contains(name) { fail("\(path): no \(name) column") }
            return table.dropFirst().enumerated().compactMap { index, row in
                guard !(row.fields.count == 1 && row.fields[0].isEmpty) else { return nil }
                var values: [String: String] = [:]
                for (position, name) in header.enumerated() where position < row.fields.count {
                    values[name] = row.fields[position].trimmingCharacters(in: .whitespaces)
                }
                for name in required where (values[name] ?? "").isEmpty { fail("\(path), row \(index + 2): \(name) is empty") }
                return values
            }
        }
    }
}
