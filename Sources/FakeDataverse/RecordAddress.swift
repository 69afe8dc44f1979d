import Foundation
import Ingest

/// How a request names a row: its primary key, or the values of an active alternate key.
enum RecordAddress {
    case id(UUID)
    case key(FakeDataverseKey, values: [String: JSONValue], predicate: KeyPredicate)

    /// Characters alternate key values can't contain in a URL
    /// (learn.microsoft.com/power-apps/developer/data-platform/use-alternate-key-reference-record).
    static let unsupportedCharacters: Set<Character> = ["/", "<", ">", "*", "%", "&", ":", "\\", "?", "+"]

    /// Reads a key predicate against a table: `(guid)`, `(pk=guid)`, or exactly the columns of an active key.
    static func parse(_ text: String, table: FakeDataverseTable) throws -> RecordAddress {
        guard let predicate = KeyPredicate.parse(text) else { throw DataverseError.uri("Bad Request - Error in query syntax: '(\(text))'.") }
        if predicate.parts.count == 1, predicate.parts[0].name == nil || predicate.parts[0].name == table.primaryIdAttribute {
            guard case .bare(let value) = predicate.parts[0].literal, let id = UUID(uuidString: value) else {
                throw DataverseError.keyNotValid(table: table.logicalName)
            }
            return .id(id)
        }
        for part in predicate.parts where part.literal.text.contains(where: { unsupportedCharacters.contains($0) }) {
            throw DataverseError.unsupportedKeyCharacter(part.literal.text)
        }
        var columns: [(column: FakeDataverseColumn, literal: ODataLiteral)] = []
        for part in predicate.parts {
            guard let name = part.name else { throw DataverseError.keyNotValid(table: table.logicalName) }
            // A lookup in a key is named by its value property: `_x_value` [doc].
            if let lookup = table.lookup(valueProperty: name) {
                columns.append((lookup, part.literal))
            } else if let column = table.column(name), !column.isLookup {
                columns.append((column, part.literal))
            } else {
                throw DataverseError.keyNotValid(table: table.logicalName)
            }
        }
        let names = columns.map(\.column.logicalName)
        guard Set(names).count == names.count,
            let key = table.keys.first(where: { $0.status == .active && Set($0.attributes) == Set(names) })
        else { throw DataverseError.keyNotValid(table: table.logicalName) }
        var values: [String: JSONValue] = [:]
        for (column, literal) in columns { values[column.logicalName] = try ColumnValues.stored(literal, column: column, table: table.logicalName) }
        return .key(key, values: values, predicate: predicate)
    }

    /// The URL of the row as the address names it (`OData-EntityId` uses the key values for key addresses).
    func url(serviceRoot: String, table: FakeDataverseTable, id: UUID) -> String {
        switch self {
        case .id: return "\(serviceRoot)/\(table.entitySetName)(\(id.uuidString.lowercased()))"
        case .key(_, _, let predicate):
            let allowed = CharacterSet.urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?#%"))
            let text = predicate.rendered.addingPercentEncoding(withAllowedCharacters: allowed) ?? predicate.rendered
            return "\(serviceRoot)/\(table.entitySetName)(\(text))"
        }
    }

    var description: String {
        switch self {
        case .id(let id): id.uuidString.lowercased()
        case .key(_, _, let predicate): predicate.rendered
        }
    }
}
