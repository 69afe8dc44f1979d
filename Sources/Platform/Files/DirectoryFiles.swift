import ControlStore
import Engagement
import Foundation
import Ingest

/// Reads a tenant's directory from files: one `directory.json`, or `USERS.csv` and `GROUPS.csv`.
///
/// Users: `id` (required), `mail`, `user_principal_name`, `display_name`. Groups: one row per
/// member, `group_id` (required), `display_name`, `mail`, `member_id`. A problem names the file
/// and the row.
public enum DirectoryFiles {
    public static func read(_ files: [String]) throws -> Directory {
        if files.count == 1, files[0].hasSuffix(".json") {
            let data = try contents(files[0])
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            do {
                return try decoder.decode(Directory.self, from: data)
            } catch {
                throw ServiceError(.invalid, "\(files[0]): not a directory JSON file: \(error)")
            }
        }
        guard files.count == 2 else { throw ServiceError(.invalid, "give USERS.csv and GROUPS.csv, or one directory.json") }
        let users = try rows(files[0], required: ["id"]).map { row in
            Directory.User(
                id: row["id"]!, mail: row["mail"].flatMap(nonEmpty), userPrincipalName: row["user_principal_name"].flatMap(nonEmpty),
                displayName: row["display_name"].flatMap(nonEmpty))
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

    static func contents(_ path: String) throws -> Data {
        guard let data = FileManager.default.contents(atPath: path) else { throw ServiceError(.invalid, "\(path): cannot read the file") }
        return data
    }

    /// The rows of a CSV file as dictionaries by lowercase header.
    static func rows(_ path: String, required: [String]) throws -> [[String: String]] {
        let table: [CSVReader.Row]
        do {
            table = try CSVReader.rows(Array(try contents(path)))
        } catch let error as IngestError {
            throw ServiceError(.invalid, "\(path): \(error)")
        }
        guard let header = table.first?.fields.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) else {
            throw ServiceError(.invalid, "\(path): the file has no header row")
        }
        for name in required where !header.contains(name) { throw ServiceError(.invalid, "\(path): no \(name) column") }
        var result: [[String: String]] = []
        for (index, row) in table.dropFirst().enumerated() {
            guard !(row.fields.count == 1 && row.fields[0].isEmpty) else { continue }
            var values: [String: String] = [:]
            for (position, name) in header.enumerated() where position < row.fields.count {
                values[name] = row.fields[position].trimmingCharacters(in: .whitespaces)
            }
            for name in required where (values[name] ?? "").isEmpty { throw ServiceError(.invalid, "\(path), row \(index + 2): \(name) is empty") }
            result.append(values)
        }
        return result
    }
}
