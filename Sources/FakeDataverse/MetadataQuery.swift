import Foundation
import Ingest

/// `$select`, `$filter` and `$expand` of a metadata request, applied to rendered definitions.
struct MetadataQuery {
    struct Expansion {
        var name: String
        var select: [String]?
        var filter: ODataFilter?
    }

    var select: [String]?
    var filter: ODataFilter?
    var expand: [Expansion] = []

    /// Navigation properties of `EntityMetadata` and the properties of what they hold.
    static let expandable: [String: Set<String>] = [
        "Attributes": MetadataJSON.columnProperties, "Keys": MetadataJSON.keyProperties,
        "ManyToOneRelationships": MetadataJSON.relationshipProperties, "OneToManyRelationships": MetadataJSON.relationshipProperties,
    ]

    static func parse(_ query: [String: String], known: Set<String>, type: String, allowsExpand: Bool) throws -> MetadataQuery {
        var result = MetadataQuery()
        for name in query.keys where name.hasPrefix("$") {
            guard ["$select", "$filter", "$expand"].contains(name) else { throw DataverseError.uri("The query parameter '\(name)' is not supported here.") }
        }
        result.select = try query["$select"].map { try selection($0, known: known, type: type) }
        result.filter = try query["$filter"].map { try filter($0, known: known, type: type) }
        if let expand = query["$expand"] {
            guard allowsExpand else { throw DataverseError.uri("$expand is not supported here.") }
            for item in split(expand, on: ",") {
                let (name, options) = ODataPath.split(item.trimmingCharacters(in: .whitespaces))
                guard let properties = expandable[name] else {
                    throw DataverseError.uri("Could not find a property named '\(name)' on type 'Microsoft.Dynamics.CRM.\(type)'.")
                }
                var expansion = Expansion(name: name)
                for option in options.map({ split($0, on: ";") }) ?? [] {
                    let pair = option.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                    guard pair.count == 2 else { throw DataverseError.uri("The $expand option '\(option)' is not valid.") }
                    switch pair[0] {
                    case "$select": expansion.select = try selection(pair[1], known: properties, type: name)
                    case "$filter": expansion.filter = try filter(pair[1], known: properties, type: name)
                    default: throw DataverseError.uri("The $expand option '\(pair[0])' is not supported by this fake.")
                    }
                }
                result.expand.append(expansion)
            }
        }
        return result
    }

    static func selection(_ text: String, known: Set<String>, type: String) throws -> [String] {
        let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        for name in names where !known.contains(name) {
            throw DataverseError.uri("Could not find a property named '\(name)' on type 'Microsoft.Dynamics.CRM.\(type)'.")
        }
        return names
    }

    static func filter(_ text: String, known: Set<String>, type: String) throws -> ODataFilter {
        let parsed: ODataFilter
        do {
            parsed = try ODataFilter.parse(text)
        } catch {
            throw DataverseError.uri(error.message)
        }
        for name in parsed.properties where !known.contains(name) {
            throw DataverseError.uri("Could not find a property named '\(name)' on type 'Microsoft.Dynamics.CRM.\(type)'.")
        }
        return parsed
    }

    /// Splits on a separator outside parentheses and quotes.
    static func split(_ text: String, on separator: Character) -> [String] {
        var parts: [String] = []
        var current = ""
        var depth = 0
        var quoted = false
        for character in text {
            if character == "'" { quoted.toggle() }
            if !quoted {
                if character == "(" { depth += 1 }
                if character == ")" { depth -= 1 }
            }
            if character == separator, depth == 0, !quoted {
                parts.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { parts.append(current) }
        return parts
    }

    static func matches(_ object: JSONObject, filter: ODataFilter?) -> Bool {
        guard let filter else { return true }
        return filter.matches({ object[$0] }, caseInsensitive: true)
    }

    /// Only the selected members (the id and type annotation stay).
    static func selected(_ object: JSONObject, _ select: [String]?) -> JSONObject {
        guard let select else { return object }
        let keep = Set(select).union(["MetadataId", "@odata.type"])
        return JSONObject(members: object.members.filter { keep.contains($0.key) })
    }

    /// `(LogicalName,EntitySetName)` for a context URL, or "".
    var contextSuffix: String {
        select.map { "(" + $0.joined(separator: ",") + ")" } ?? ""
    }
}
