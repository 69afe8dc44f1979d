/// A result column: its name and the type the server reports.
public struct PostgresColumn: Sendable, Hashable {
    public var name: String
    public var type: PostgresType
}

/// A complete result set, copied out of the `PGresult` before it was cleared.
public struct PostgresRows: Sendable, RandomAccessCollection {
    public let columns: [PostgresColumn]
    /// The server's command tag, e.g. `INSERT 0 3`.
    public let commandTag: String
    /// Rows inserted, updated, deleted, copied or selected, from `PQcmdTuples`.
    public let affectedRows: Int
    let values: [String?]
    let columnIndex: [String: Int]

    init(columns: [PostgresColumn], values: [String?], commandTag: String, affectedRows: Int) {
        self.columns = columns
        self.values = values
        self.commandTag = commandTag
        self.affectedRows = affectedRows
        var index: [String: Int] = [:]
        for (position, column) in columns.enumerated() where index[column.name] == nil {
            index[column.name] = position
        }
        self.columnIndex = index
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { columns.isEmpty ? 0 : values.count / columns.count }

    public subscript(position: Int) -> PostgresRow {
        PostgresRow(rows: self, index: position)
    }

    /// The first row decoded as `type`, or `nil` when there are no rows.
    public func first<each Value: PostgresDecodable>(
        decoding type: (repeat each Value).Type
    ) throws -> (repeat each Value)? {
        guard !isEmpty else { return nil }
        return try self[0].decode(type)
    }

    /// Every row decoded as `type`.
    public func decode<each Value: PostgresDecodable>(
        _ type: (repeat each Value).Type
    ) throws -> [(repeat each Value)] {
        try map { try $0.decode(type) }
    }
}

/// One row of a `PostgresRows`.
public struct PostgresRow: Sendable {
    let rows: PostgresRows
    let index: Int

    /// The column's raw text, `nil` for NULL.
    public subscript(column: String) -> String? {
        guard let position = rows.columnIndex[column] else { return nil }
        return rows.values[index * rows.columns.count + position]
    }

    /// Decodes the column called `column`; the type may be left to inference (`try row.decode(column: "name")`).
    public func decode<Value: PostgresDecodable>(_ type: Value.Type = Value.self, column: String) throws -> Value {
        guard let position = rows.columnIndex[column] else {
            throw PostgresError(
                code: .decoding, message: "the result has no column \"\(column)\"", columnName: column)
        }
        return try decode(type, at: position)
    }

    /// Decodes the column at `position` (0-based).
    public func decode<Value: PostgresDecodable>(_ type: Value.Type, at position: Int) throws -> Value {
        guard position < rows.columns.count else {
            throw PostgresError(
                code: .decoding, message: "the result has \(rows.columns.count) columns, not \(position + 1)")
        }
        let column = rows.columns[position]
        guard let text = rows.values[index * rows.columns.count + position] else {
            return try Value.decodeNull(column: column.name)
        }
        return try Value.decode(text: text, type: column.type, column: column.name)
    }

    /// Decodes the row's columns, in order, as a tuple.
    public func decode<each Value: PostgresDecodable>(_ type: (repeat each Value).Type) throws -> (repeat each Value) {
        var position = 0
        func next<V: PostgresDecodable>(_ valueType: V.Type) throws -> V {
            defer { position += 1 }
            return try decode(valueType, at: position)
        }
        let count = rows.columns.count
        let expected = Self.count(type)
        guard expected == count else {
            throw PostgresError(
                code: .decoding, message: "the result has \(count) columns but \(expected) were decoded")
        }
        return (repeat try next((each Value).self))
    }

    private static func count<each Value>(_ type: (repeat each Value).Type) -> Int {
        var total = 0
        for _ in repeat (each Value).self { total += 1 }
        return total
    }
}
