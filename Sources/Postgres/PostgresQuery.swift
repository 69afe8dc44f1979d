/// A SQL statement whose interpolated values travel as `$n` binds, never as SQL text.
///
/// ```swift
/// let rows = try await connection.query("SELECT name FROM account WHERE id = \(id)")
/// ```
/// Each interpolated `PostgresEncodable` becomes the next `$n`. Identifiers go in
/// through `\(identifier: name)` and are quoted with `PQescapeIdentifier` when the
/// statement runs. Queries compose: interpolating a `PostgresQuery` appends its
/// SQL and renumbers its binds.
public struct PostgresQuery: Sendable, Hashable, ExpressibleByStringInterpolation {
    enum Fragment: Sendable, Hashable {
        case sql(String)
        case bind(Int)
        case identifier(String)
    }

    var fragments: [Fragment]
    /// The bind values in `$n` order.
    public private(set) var binds: [PostgresBind]

    public init(stringLiteral value: String) {
        fragments = [.sql(value)]
        binds = []
    }

    public init(stringInterpolation: StringInterpolation) {
        fragments = stringInterpolation.fragments
        binds = stringInterpolation.binds
    }

    /// A statement from trusted SQL text, such as a migration file; it takes no binds.
    public init(unsafeSQL: String) {
        fragments = [.sql(unsafeSQL)]
        binds = []
    }

    /// Appends another query, renumbering its binds after this one's.
    public mutating func append(_ other: PostgresQuery) {
        let offset = binds.count
        for fragment in other.fragments {
            if case .bind(let index) = fragment {
                fragments.append(.bind(index + offset))
            } else {
                fragments.append(fragment)
            }
        }
        binds.append(contentsOf: other.binds)
    }

    /// Joins queries with a separator, as in `WHERE a AND b`.
    public static func joined(_ parts: [PostgresQuery], separator: String) -> PostgresQuery {
        var result: PostgresQuery = ""
        for (index, part) in parts.enumerated() {
            if index > 0 { result.append(PostgresQuery(stringLiteral: separator)) }
            result.append(part)
        }
        return result
    }

    /// The SQL text with `$n` placeholders, identifiers quoted by `quoteIdentifier`.
    func render(quoteIdentifier: (String) throws -> String) rethrows -> String {
        var text = ""
        for fragment in fragments {
            switch fragment {
            case .sql(let sql): text += sql
            case .bind(let index): text += "$\(index + 1)"
            case .identifier(let name): text += try quoteIdentifier(name)
            }
        }
        return text
    }

    /// The SQL text for logs and errors, identifiers shown as written, binds as `$n`.
    public var sqlForLogging: String {
        render { "\"\($0)\"" }
    }

    public struct StringInterpolation: StringInterpolationProtocol {
        var fragments: [Fragment] = []
        var binds: [PostgresBind] = []

        public init(literalCapacity: Int, interpolationCount: Int) {
            binds.reserveCapacity(interpolationCount)
        }

        public mutating func appendLiteral(_ literal: String) {
            guard !literal.isEmpty else { return }
            fragments.append(.sql(literal))
        }

        public mutating func appendInterpolation<Value: PostgresEncodable>(_ value: Value) {
            binds.append(PostgresBind(value))
            fragments.append(.bind(binds.count - 1))
        }

        public mutating func appendInterpolation<Value: PostgresEncodable>(_ value: Value?) {
            binds.append(value.map(PostgresBind.init) ?? PostgresBind(text: nil, type: Value.postgresType))
            fragments.append(.bind(binds.count - 1))
        }

        /// A table, column or other name, quoted by `PQescapeIdentifier`.
        public mutating func appendInterpolation(identifier: String) {
            fragments.append(.identifier(identifier))
        }

        /// Another query, its binds renumbered after the ones before it.
        public mutating func appendInterpolation(_ query: PostgresQuery) {
            let offset = binds.count
            for fragment in query.fragments {
                if case .bind(let index) = fragment {
                    fragments.append(.bind(index + offset))
                } else {
                    fragments.append(fragment)
                }
            }
            binds.append(contentsOf: query.binds)
        }
    }
}

/// One bind value in libpq's text format, with the type the server should read it as.
public struct PostgresBind: Sendable, Hashable {
    /// The value's text form; `nil` is SQL NULL.
    public var text: String?
    public var type: PostgresType

    public init(text: String?, type: PostgresType) {
        self.text = text
        self.type = type
    }

    public init<Value: PostgresEncodable>(_ value: Value) {
        self.text = value.postgresText
        self.type = Value.postgresType
    }
}
