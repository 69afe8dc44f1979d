import Foundation
import Ingest

/// Metadata definitions rendered as the Web API returns them (as JSON objects, so `$select` and `$filter` apply).
enum MetadataJSON {
    static func string(_ text: String) -> JSONValue { .string(text) }

    static func int(_ value: Int) -> JSONValue { .number(Double(value)) }

    /// A `Label`: the `LocalizedLabels` sent, and `UserLocalizedLabel` (the first of them).
    static func label(_ value: JSONValue?) -> JSONValue {
        let labels = value?.objectValue?["LocalizedLabels"]?.arrayValue ?? []
        return .object(
            JSONObject(members: [
                ("LocalizedLabels", .array(labels)), ("UserLocalizedLabel", labels.first ?? .null),
            ]))
    }

    static let tableProperties: Set<String> = [
        "MetadataId", "LogicalName", "SchemaName", "EntitySetName", "LogicalCollectionName", "CollectionSchemaName", "PrimaryIdAttribute",
        "PrimaryNameAttribute", "ObjectTypeCode", "OwnershipType", "IsCustomEntity", "IsActivity", "HasNotes", "HasActivities", "IsManaged",
        "DisplayName", "DisplayCollectionName", "Description", "IntroducedVersion",
    ]

    static func table(_ table: FakeDataverseTable) -> JSONObject {
        JSONObject(members: [
            ("MetadataId", string(table.metadataID.uuidString.lowercased())), ("LogicalName", string(table.logicalName)),
            ("SchemaName", string(table.schemaName)), ("EntitySetName", string(table.entitySetName)),
            ("LogicalCollectionName", string(FakeDataverseTable.plural(table.logicalName))),
            ("CollectionSchemaName", string(FakeDataverseTable.plural(table.schemaName))),
            ("PrimaryIdAttribute", string(table.primaryIdAttribute)), ("PrimaryNameAttribute", string(table.primaryNameAttribute)),
            ("ObjectTypeCode", int(table.objectTypeCode)), ("OwnershipType", string(table.ownershipType)),
            ("IsCustomEntity", .bool(table.isCustom)), ("IsActivity", .bool(false)), ("HasNotes", .bool(table.hasNotes)),
            ("HasActivities", .bool(table.hasActivities)), ("IsManaged", .bool(false)), ("DisplayName", label(table.displayName)),
            ("DisplayCollectionName", label(table.displayCollectionName)), ("Description", label(table.description)),
            ("IntroducedVersion", string("1.0")),
        ])
    }

    static let columnProperties: Set<String> = [
        "@odata.type", "MetadataId", "LogicalName", "SchemaName", "EntityLogicalName", "AttributeType", "AttributeTypeName", "IsPrimaryId",
        "IsPrimaryName", "IsCustomAttribute", "IsValidForCreate", "IsValidForUpdate", "IsValidForRead", "RequiredLevel", "DisplayName",
        "Description", "MaxLength", "FormatName", "Format", "MinValue", "MaxValue", "Precision", "Targets", "DateTimeBehavior",
    ]

    static func column(_ column: FakeDataverseColumn, table: String) -> JSONObject {
        var members: [(key: String, value: JSONValue)] = [
            ("@odata.type", string("#Microsoft.Dynamics.CRM.\(column.type.metadataType)")),
            ("MetadataId", string(column.metadataID.uuidString.lowercased())), ("LogicalName", string(column.logicalName)),
            ("SchemaName", string(column.schemaName)), ("EntityLogicalName", string(table)),
            ("AttributeType", string(column.type.attributeType)),
            ("AttributeTypeName", .object(JSONObject(members: [("Value", string(column.type.attributeType + "Type"))]))),
            ("IsPrimaryId", .bool(column.isPrimaryID)), ("IsPrimaryName", .bool(column.isPrimaryName)),
            ("IsCustomAttribute", .bool(column.isCustom)), ("IsValidForCreate", .bool(true)), ("IsValidForUpdate", .bool(!column.isPrimaryID)),
            ("IsValidForRead", .bool(true)),
            ("RequiredLevel", column.requiredLevel ?? .object(JSONObject(members: [("Value", string(column.isPrimaryID ? "SystemRequired" : "None"))]))),
            ("DisplayName", label(column.displayName)), ("Description", label(column.description)),
        ]
        switch column.type {
        case .string(let maxLength):
            members += [("MaxLength", int(maxLength)), ("FormatName", .object(JSONObject(members: [("Value", string(column.format ?? "Text"))])))]
        case .memo(let maxLength):
            members += [("MaxLength", int(maxLength)), ("Format", string(column.format ?? "TextArea"))]
        case .integer(let minValue, let maxValue):
            members += [("MinValue", int(minValue)), ("MaxValue", int(maxValue)), ("Format", string("None"))]
        case .decimal(let minValue, let maxValue, let precision), .double(let minValue, let maxValue, let precision):
            members += [("MinValue", .number(minValue)), ("MaxValue", .number(maxValue)), ("Precision", int(precision))]
        case .dateOnly:
            members += [
                ("Format", string("DateOnly")), ("DateTimeBehavior", .object(JSONObject(members: [("Value", string("UserLocal"))]))),
            ]
        case .dateAndTime:
            members += [
                ("Format", string("DateAndTime")), ("DateTimeBehavior", .object(JSONObject(members: [("Value", string("UserLocal"))]))),
            ]
        case .lookup(let target):
            members += [("Targets", .array([string(target)]))]
        case .uniqueIdentifier, .boolean:
            break
        }
        return JSONObject(members: members)
    }

    static let keyProperties: Set<String> = [
        "MetadataId", "LogicalName", "SchemaName", "EntityLogicalName", "KeyAttributes", "EntityKeyIndexStatus", "DisplayName", "IsManaged",
    ]

    static func key(_ key: FakeDataverseKey, table: String) -> JSONObject {
        JSONObject(members: [
            ("MetadataId", string(key.metadataID.uuidString.lowercased())), ("LogicalName", string(key.logicalName)),
            ("SchemaName", string(key.schemaName)), ("EntityLogicalName", string(table)), ("KeyAttributes", .array(key.attributes.map(string))),
            ("EntityKeyIndexStatus", string(key.status.rawValue)), ("DisplayName", label(key.displayName)), ("IsManaged", .bool(false)),
        ])
    }

    static let relationshipProperties: Set<String> = [
        "@odata.type", "MetadataId", "SchemaName", "RelationshipType", "ReferencedEntity", "ReferencedAttribute", "ReferencingEntity",
        "ReferencingAttribute", "ReferencedEntityNavigationPropertyName", "ReferencingEntityNavigationPropertyName", "CascadeConfiguration",
        "IsCustomRelationship", "IsManaged",
    ]

    static func relationship(_ relationship: RelationshipDefinition) -> JSONObject {
        JSONObject(members: [
            ("@odata.type", string("#Microsoft.Dynamics.CRM.OneToManyRelationshipMetadata")),
            ("MetadataId", string(relationship.metadataID.uuidString.lowercased())), ("SchemaName", string(relationship.schemaName)),
            ("RelationshipType", string("OneToManyRelationship")), ("ReferencedEntity", string(relationship.referencedEntity)),
            ("ReferencedAttribute", string(relationship.referencedAttribute)), ("ReferencingEntity", string(relationship.referencingEntity)),
            ("ReferencingAttribute", string(relationship.referencingAttribute)),
            ("ReferencedEntityNavigationPropertyName", string(relationship.referencedNavigationProperty)),
            ("ReferencingEntityNavigationPropertyName", string(relationship.referencingNavigationProperty)),
            ("CascadeConfiguration", relationship.cascadeConfiguration ?? .object(JSONObject(members: [("Delete", string(relationship.deleteBehavior))]))),
            ("IsCustomRelationship", .bool(true)), ("IsManaged", .bool(false)),
        ])
    }
}
