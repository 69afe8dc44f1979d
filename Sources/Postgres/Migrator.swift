import Foundation
import Logging

/// Applies the numbered SQL files of one folder (`sql/control`, `sql/region`) in order.
///
/// Each file `NNNN_name.sql` runs once, in its own transaction, and is recorded
/// in `rapport_migrations` with a SHA-256 of its text. A file whose text changed
/// after it was applied is an error naming it (edit a migration by adding a new
/// one). Concurrent runners serialise on an advisory lock, so each file is
/// applied exactly once.
public struct Migrator: Sendable {
    /// One migration file.
    public struct Migration: Sendable, Equatable {
        public var version: Int
        public var name: String
        public var sql: String
        public var fileName: String { name }
    }

    /// The folder's name doubles as the migration scope, e.g. `control`.
    public let folder: URL
    let logger: Logger

    /// The advisory lock key that serialises migration runners on one database.
    static let lockKey: Int64 = 0x5241_5050_4f52_5401  // "RAPPORT" + 1

    public init(folder: URL, logger: Logger = Logger(label: "rapport.migrate")) {
        self.folder = folder
        self.logger = logger
    }

    /// The migration files, sorted by number; malformed names and duplicate numbers are errors.
    public func migrations() throws -> [Migration] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        } catch {
            throw PostgresError(code: .migration, message: "cannot read the migrations folder \(folder.path)")
        }
        var migrations: [Migration] = []
        for name in names.sorted() where name.hasSuffix(".sql") {
            let digits = name.prefix { $0.isNumber }
            guard digits.count == 4, let version = Int(digits), name.dropFirst(4).first == "_" else {
                throw PostgresError(
                    code: .migration, message: "migration \(name) is not named NNNN_description.sql")
            }
            if let previous = migrations.last, previous.version == version {
                throw PostgresError(
                    code: .migration, message: "migrations \(previous.name) and \(name) share the number \(digits)")
            }
            let url = folder.appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: url.path),
                let sql = String(data: data, encoding: .utf8)
            else {
                throw PostgresError(code: .migration, message: "migration \(name) is not readable UTF-8 text")
            }
            migrations.append(Migration(version: version, name: name, sql: sql))
        }
        return migrations
    }

    /// Applies every pending migration; returns the names applied by this call.
    @discardableResult
    public func migrate(_ connection: PostgresConnection) async throws -> [String] {
        let migrations = try self.migrations()
        try await connection.execute("SELECT pg_advisory_lock(\(Self.lockKey))")
        do {
            let applied = try await applyPending(migrations, on: connection)
            try await connection.execute("SELECT pg_advisory_unlock(\(Self.lockKey))")
            return applied
        } catch {
            _ = try? await connection.execute("SELECT pg_advisory_unlock(\(Self.lockKey))")
            throw error
        }
    }

    private func applyPending(_ migrations: [Migration], on connection: PostgresConnection) async throws -> [String] {
        try await connection.execute(
            """
            CREATE TABLE IF NOT EXISTS rapport_migrations (
                version integer PRIMARY KEY,
                name text NOT NULL,
                checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """)
        var recorded: [Int: (name: String, checksum: String)] = [:]
        for row in try await connection.query("SELECT version, name, checksum FROM rapport_migrations") {
            let (version, name, checksum) = try row.decode((Int, String, String).self)
            recorded[version] = (name, checksum)
        }
        var applied: [String] = []
        for migration in migrations {
            let checksum = try await Self.checksum(migration.sql, on: connection)
            if let existing = recorded[migration.version] {
                guard existing.checksum == checksum, existing.name == migration.name else {
                    throw PostgresError(
                        code: .migration,
                        message: "migration \(migration.name) was changed after it was applied as \(existing.name) (checksum \(existing.checksum.prefix(12)) → \(checksum.prefix(12))); add a new migration instead")
                }
                continue
            }
            do {
                try await connection.withTransaction { connection in
                    try await connection.execute(migration.sql, simpleProtocol: true)
                    try await connection.execute(
                        "INSERT INTO rapport_migrations (version, name, checksum) VALUES (\(migration.version), \(migration.name), \(checksum))")
                }
            } catch let error as PostgresError {
                var wrapped = error
                wrapped.message = "migration \(migration.name) failed: \(error.message)"
                throw wrapped
            }
            logger.info("applied migration", metadata: ["file": "\(folder.lastPathComponent)/\(migration.name)"])
            applied.append(migration.name)
        }
        return applied
    }

    static func checksum(_ sql: String, on connection: PostgresConnection) async throws -> String {
        let rows = try await connection.query("SELECT encode(sha256(convert_to(\(sql), 'UTF8')), 'hex')")
        return try rows[0].decode(String.self, at: 0)
    }
}
