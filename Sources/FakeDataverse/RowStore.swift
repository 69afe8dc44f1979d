import FakeServiceKit
import Foundation
import Ingest

/// One stored row: column logical name → value (lookups hold the referenced id), and its version.
struct StoredRow: Sendable {
    var values: [String: JSONValue]
    /// `versionnumber`, sent as the ETag `W/"{version}"`.
    var version: Int
    /// Creation order, for paging.
    var sequence: Int
}

/// The rows of one table, with a unique index per active alternate key.
struct RowStore: Sendable {
    struct KeyIndex: Sendable {
        var attributes: [String]
        var entries: [String: UUID] = [:]
    }

    private(set) var rows: [UUID: StoredRow] = [:]
    /// Every row ever created in creation order; an entry is live while `rows[id]?.sequence` matches it.
    private(set) var order: [(sequence: Int, id: UUID)] = []
    private var nextSequence = 1
    private(set) var indexes: [String: KeyIndex] = [:]
    var caseInsensitive: Bool

    init(caseInsensitive: Bool) {
        self.caseInsensitive = caseInsensitive
    }

    var count: Int { rows.count }

    subscript(id: UUID) -> StoredRow? { rows[id] }

    /// The index text of a row's values for a key; nil when a key column is empty (such rows are not indexed).
    func indexText(_ attributes: [String], _ values: [String: JSONValue]) -> String? {
        var text = ""
        for attribute in attributes {
            switch values[attribute] {
            case .string(let value)?: text += "s" + (caseInsensitive ? value.lowercased() : value)
            case .number(let value)?: text += "n" + JSONBytes.numberText(value)
            case .bool(let value)?: text += value ? "t" : "f"
            default: return nil
            }
            text += "\u{1}"
        }
        return text
    }

    /// The row holding these key values, by a built index.
    func find(key: String, values: [String: JSONValue]) -> UUID? {
        guard let index = indexes[key], let text = indexText(index.attributes, values) else { return nil }
        return index.entries[text]
    }

    /// The first active key another row already holds these values for.
    func conflict(_ values: [String: JSONValue], excluding id: UUID) -> (key: String, attributes: [String])? {
        for (name, index) in indexes.sorted(by: { $0.key < $1.key }) {
            if let text = indexText(index.attributes, values), let holder = index.entries[text], holder != id {
                return (name, index.attributes)
            }
        }
        return nil
    }

    /// Creates or replaces a row; returns what it replaced (for undo).
    @discardableResult
    mutating func put(_ id: UUID, values: [String: JSONValue], version: Int) -> StoredRow? {
        let previous = rows[id]
        let sequence: Int
        if let previous {
            sequence = previous.sequence
        } else {
            sequence = nextSequence
            nextSequence += 1
            order.append((sequence, id))
        }
        restore(id, StoredRow(values: values, version: version, sequence: sequence))
        return previous
    }

    /// Removes a row; returns it (for undo).
    @discardableResult
    mutating func remove(_ id: UUID) -> StoredRow? {
        let previous = rows[id]
        restore(id, nil)
        return previous
    }

    /// Puts a row back as it was (nil: absent), keeping the indexes right.
    mutating func restore(_ id: UUID, _ row: StoredRow?) {
        if let current = rows[id] {
            for name in Array(indexes.keys) {
                if let text = indexText(indexes[name]!.attributes, current.values), indexes[name]!.entries[text] == id {
                    indexes[name]!.entries[text] = nil
                }
            }
        }
        rows[id] = row
        if let row {
            for name in Array(indexes.keys) {
                if let text = indexText(indexes[name]!.attributes, row.values) { indexes[name]!.entries[text] = id }
            }
        }
    }

    /// Builds the unique index of a key that became active; false (and no index) when rows already collide.
    mutating func buildIndex(_ key: String, attributes: [String]) -> Bool {
        var index = KeyIndex(attributes: attributes)
        for (id, row) in rows {
            guard let text = indexText(attributes, row.values) else { continue }
            if index.entries[text] != nil { return false }
            index.entries[text] = id
        }
        indexes[key] = index
        return true
    }

    mutating func dropIndex(_ key: String) {
        indexes[key] = nil
    }

    /// Rebuilds every index (after the case sensitivity changed).
    mutating func rebuildIndexes() {
        for (name, index) in Array(indexes) {
            indexes[name] = nil
            _ = buildIndex(name, attributes: index.attributes)
        }
    }

    /// Live rows in creation order from a sequence on (exclusive).
    func rowsInOrder(after sequence: Int) -> some Sequence<(sequence: Int, id: UUID, row: StoredRow)> {
        var low = 0
        var high = order.count
        while low < high {
            let middle = (low + high) / 2
            if order[middle].sequence <= sequence { low = middle + 1 } else { high = middle }
        }
        return order[low...].lazy.compactMap { entry -> (sequence: Int, id: UUID, row: StoredRow)? in
            guard let row = rows[entry.id], row.sequence == entry.sequence else { return nil }
            return (entry.sequence, entry.id, row)
        }
    }
}
