import Foundation
import Ingest

/// A table (entity) definition: its names, columns and alternate keys.
public struct FakeDataverseTable: Sendable {
    public let metadataID: UUID
    public let logicalName: String
    public let schemaName: String
    /// The Web API collection name (server-generated plural unless the create request named one).
    public let entitySetName: String
    public let primaryIdAttribute: String
    public let primaryNameAttribute: String
    public let isCustom: Bool
    public let solution: String?
    public private(set) var columns: [FakeDataverseColumn] = []
    public internal(set) var keys: [FakeDataverseKey] = []
    let objectTypeCode: Int
    let displayName: JSONValue?
    let displayCollectionName: JSONValue?
    let description: JSONValue?
    let hasNotes: Bool
    let hasActivities: Bool
    let ownershipType: String
    private var columnIndex: [String: Int] = [:]
    private var navigationIndex: [String: Int] = [:]

    init(
        logicalName: String, schemaName: String, entitySetName: String, primaryIdAttribute: String, primaryNameAttribute: String,
        isCustom: Bool, solution: String?, objectTypeCode: Int, displayName: JSONValue?, displayCollectionName: JSONValue?,
        description: JSONValue?, hasNotes: Bool, hasActivities: Bool, ownershipType: String
    ) {
        self.metadataID = UUID()
        self.logicalName = logicalName
        self.schemaName = schemaName
        self.entitySetName = entitySetName
        self.primaryIdAttribute = primaryIdAttribute
        self.primaryNameAttribute = primaryNameAttribute
        self.isCustom = isCustom
        self.solution = solution
        self.objectTypeCode = objectTypeCode
        self.displayName = displayName
        self.displayCollectionName = displayCollectionName
        self.description = description
        self.hasNotes = hasNotes
        self.hasActivities = hasActivities
        self.ownershipType = ownershipType
    }

    public func column(_ logicalName: String) -> FakeDataverseColumn? {
        columnIndex[logicalName].map { columns[$0] }
    }

    /// The lookup whose single-valued navigation property has this name (case-sensitive, as OData is).
    func lookup(navigation name: String) -> FakeDataverseColumn? {
        navigationIndex[name].map { columns[$0] }
    }

    /// The lookup read as `_{name}_value`.
    func lookup(valueProperty name: String) -> FakeDataverseColumn? {
        guard name.hasPrefix("_"), name.hasSuffix("_value"), name.count > 7 else { return nil }
        let column = self.column(String(name.dropFirst().dropLast(6)))
        return column?.isLookup == true ? column : nil
    }

    mutating func add(_ column: FakeDataverseColumn) {
        columnIndex[column.logicalName] = columns.count
        if let navigation = column.navigationProperty { navigationIndex[navigation] = columns.count }
        columns.append(column)
    }

    mutating func removeColumn(_ logicalName: String) {
        columns.removeAll { $0.logicalName == logicalName }
        columnIndex = [:]
        navigationIndex = [:]
        for (index, column) in columns.enumerated() {
            columnIndex[column.logicalName] = index
            if let navigation = column.navigationProperty { navigationIndex[navigation] = index }
        }
    }

    /// The names a `$select` or `$filter` may use: columns (lookups as `_x_value`).
    func isReadable(_ name: String) -> Bool {
        if let column = column(name) { return !column.isLookup }
        return lookup(valueProperty: name) != nil
    }

    /// The server's plural for an entity set: `rapport_event` → `rapport_events`, `…y` → `…ies`, `…s` → `…ses`.
    static func plural(_ logicalName: String) -> String {
        let vowels: Set<Character> = ["a", "e", "i", "o", "u"]
        if logicalName.hasSuffix("y"), logicalName.count > 1, !vowels.contains(logicalName[logicalName.index(logicalName.endIndex, offsetBy: -2)]) {
            return String(logicalName.dropLast()) + "ies"
        }
        for ending in ["s", "x", "z", "ch", "sh"] where logicalName.hasSuffix(ending) { return logicalName + "es" }
        return logicalName + "s"
    }

    /// The standard `account` table every organization has (only the columns the fake needs).
    static func account() -> FakeDataverseTable {
        func label(_ text: String) -> JSONValue {
            .object(
                JSONObject(members: [
                    ("LocalizedLabels", .array([.object(JSONObject(members: [("Label", .string(text)), ("LanguageCode", .number(1033))]))]))
                ]))
        }
        var table = FakeDataverseTable(
            logicalName: "account", schemaName: "Account", entitySetName: "accounts", primaryIdAttribute: "accountid", primaryNameAttribute: "name",
            isCustom: false, solution: nil, objectTypeCode: 1, displayName: label("Account"), displayCollectionName: label("Accounts"),
            description: nil, hasNotes: true, hasActivities: true, ownershipType: "UserOwned")
        table.add(
            FakeDataverseColumn(
                logicalName: "accountid", schemaName: "AccountId", type: .uniqueIdentifier, isPrimaryID: true, isCustom: false, displayName: label("Account")))
        table.add(
            FakeDataverseColumn(
                logicalName: "name", schemaName: "Name", type: .string(maxLength: 160), isPrimaryName: true, isCustom: false,
                displayName: label("Account Name"), format: "Text"))
        table.add(
            FakeDataverseColumn(
                logicalName: "accountnumber", schemaName: "AccountNumber", type: .string(maxLength: 20), isCustom: false,
                displayName: label("Account Number"), format: "Text"))
        return table
    }
}

/// A one-to-many relationship; its lookup column lives on the referencing table.
struct RelationshipDefinition: Sendable {
    let metadataID = UUID()
    let schemaName: String
    let referencedEntity: String
    let referencedAttribute: String
    let referencingEntity: String
    let referencingAttribute: String
    let referencingNavigationProperty: String
    let referencedNavigationProperty: String
    /// `Delete` of the `CascadeConfiguration`: `Cascade`, `RemoveLink` or `Restrict`.
    let deleteBehavior: String
    let cascadeConfiguration: JSONValue?
    let solution: String?
}
