import Foundation
import Ingest

/// Undo information for the writes of a request or change set, and what it changed.
struct Transaction {
    struct Undo {
        var table: String
        var id: UUID
        var previous: StoredRow?
    }

    var undo: [Undo] = []
    var created = 0
    var updated = 0
    var deleted = 0
    /// Metadata as it was before (tables and relationships are small; copies share storage until changed).
    var tables: [String: FakeDataverseTable]
    var relationships: [String: RelationshipDefinition]
    /// The rows of tables deleted in the transaction.
    var removedStores: [String: RowStore] = [:]

    var isEmpty: Bool { undo.isEmpty }
}

/// What one request works with besides the organization: where URLs point, the settings, and counts to merge.
struct RequestContext {
    /// `http://127.0.0.1:{port}/{host}/api/data/v9.2`.
    let serviceRoot: String
    let settings: FakeDataverseSettings
    let now: Date
    let userID: UUID
    /// Taken from the faults; written back unless it fired.
    var failOperation: FakeDataverseFaults.OperationFailure?
    /// Operations done (for the simulated execution time).
    var operations = 0
    /// Counts to add to the store's counters.
    var counts = FakeDataverseCounters()
}

/// One organization: its users, tables, relationships and rows.
struct OrganizationState {
    var setup: FakeDataverseOrganization
    var applicationUsers: [String: FakeDataverseOrganization.ApplicationUser] = [:]
    var tables: [String: FakeDataverseTable] = [:]
    var relationships: [String: RelationshipDefinition] = [:]
    var rows: [String: RowStore] = [:]
    var nextVersion = 1_000_000
    var nextObjectTypeCode = 10_000

    init(_ setup: FakeDataverseOrganization, settings: FakeDataverseSettings) {
        self.setup = setup
        for user in setup.applicationUsers { applicationUsers[user.clientID.lowercased()] = user }
        let account = FakeDataverseTable.account()
        tables[account.logicalName] = account
        rows[account.logicalName] = RowStore(caseInsensitive: settings.caseInsensitiveStrings)
    }

    /// The table behind an entity set name (case-sensitive).
    func table(entitySet: String) -> FakeDataverseTable? {
        tables.values.first { $0.entitySetName == entitySet }
    }

    // MARK: Keys

    /// Moves keys along their index job; a key becoming active gets its unique index, or fails on duplicates.
    mutating func progressKeys(of table: String, settings: FakeDataverseSettings, now: Date) {
        guard var definition = tables[table] else { return }
        var changed = false
        for index in definition.keys.indices {
            let status = definition.keys[index].progressed(settings.keyActivation, now: now)
            guard status != definition.keys[index].status else { continue }
            changed = true
            if status == .active {
                let built = rows[table]?.buildIndex(definition.keys[index].logicalName, attributes: definition.keys[index].attributes) ?? false
                definition.keys[index].status = built ? .active : .failed
            } else {
                definition.keys[index].status = status
            }
        }
        if changed { tables[table] = definition }
    }

    mutating func progressAllKeys(settings: FakeDataverseSettings, now: Date) {
        for name in Array(tables.keys) where tables[name]?.keys.contains(where: { $0.status == .pending || $0.status == .inProgress }) == true {
            progressKeys(of: name, settings: settings, now: now)
        }
    }

    /// Counts a read of a table's keys through the API (what moves `.afterReads` keys along).
    mutating func noteKeysRead(of table: String, settings: FakeDataverseSettings, now: Date) {
        progressKeys(of: table, settings: settings, now: now)
        guard var definition = tables[table] else { return }
        for index in definition.keys.indices { definition.keys[index].reads += 1 }
        tables[table] = definition
    }

    // MARK: Transactions

    func begin() -> Transaction {
        Transaction(tables: tables, relationships: relationships)
    }

    /// Undoes a transaction's writes and metadata changes.
    mutating func rollback(_ transaction: Transaction) {
        for (name, store) in transaction.removedStores { rows[name] = store }
        for undo in transaction.undo.reversed() {
            rows[undo.table]?.restore(undo.id, undo.previous)
        }
        tables = transaction.tables
        relationships = transaction.relationships
        for name in Array(rows.keys) where tables[name] == nil { rows[name] = nil }
        // Indexes follow the restored key statuses.
        for (name, table) in tables {
            let active = Set(table.keys.filter { $0.status == .active }.map(\.logicalName))
            let stale = rows[name]?.indexes.keys.filter { !active.contains($0) } ?? []
            for key in stale { rows[name]?.dropIndex(key) }
        }
    }

    /// Writes a row inside a transaction.
    mutating func write(_ table: String, id: UUID, values: [String: JSONValue], transaction: inout Transaction) -> StoredRow {
        nextVersion += 1
        let previous = rows[table, default: RowStore(caseInsensitive: true)].put(id, values: values, version: nextVersion)
        transaction.undo.append(.init(table: table, id: id, previous: previous))
        if previous == nil { transaction.created += 1 } else { transaction.updated += 1 }
        return rows[table]![id]!
    }

    mutating func delete(_ table: String, id: UUID, transaction: inout Transaction) {
        guard let previous = rows[table]?.remove(id) else { return }
        transaction.undo.append(.init(table: table, id: id, previous: previous))
        transaction.deleted += 1
    }
}
