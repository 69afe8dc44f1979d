import Foundation
import Ingest
import Platform

/// A table Rapport owns in a Dataverse organization: its columns, its alternate key and its lookup, as metadata requests.
///
/// Shapes from learn.microsoft.com/power-apps/developer/data-platform/webapi/
/// create-update-entity-definitions-using-web-api (tables), create-update-column-definitions-using-web-api
/// (columns), create-update-entity-relationships-using-web-api (lookups) and define-alternate-keys-entity (keys).
struct DataverseTableDefinition: Sendable {
    /// One column and its metadata type.
    struct Column: Sendable {
        enum Kind: Sendable {
            case string(maxLength: Int)
            case integer(minimum: Int, maximum: Int)
            case decimal(precision: Int, minimum: Double, maximum: Double)
            case dateOnly
        }

        var schemaName: String
        var displayName: String
        var kind: Kind

        var logicalName: String { schemaName.lowercased() }

        /// `…AttributeMetadata` for `POST EntityDefinitions(…)/Attributes` (or inside a new table's `Attributes`).
        func metadata(primaryName: Bool = false) -> JSONText {
            var members: [(String, JSONText)] = []
            switch kind {
            case .string(let maxLength):
                members = [
                    ("@odata.type", "Microsoft.Dynamics.CRM.StringAttributeMetadata"), ("AttributeType", "String"),
                    ("AttributeTypeName", .object([("Value", "StringType")])), ("MaxLength", .int(maxLength)),
                    ("FormatName", .object([("Value", "Text")])),
                ]
                if primaryName { members.append(("IsPrimaryName", true)) }
            case .integer(let minimum, let maximum):
                members = [
                    ("@odata.type", "Microsoft.Dynamics.CRM.IntegerAttributeMetadata"), ("AttributeType", "Integer"),
                    ("AttributeTypeName", .object([("Value", "IntegerType")])), ("Format", "None"), ("MinValue", .int(minimum)),
                    ("MaxValue", .int(maximum)),
                ]
            case .decimal(let precision, let minimum, let maximum):
                members = [
                    ("@odata.type", "Microsoft.Dynamics.CRM.DecimalAttributeMetadata"), ("AttributeType", "Decimal"),
                    ("AttributeTypeName", .object([("Value", "DecimalType")])), ("Precision", .int(precision)),
                    ("MinValue", .decimal(minimum, places: 1)), ("MaxValue", .decimal(maximum, places: 1)),
                ]
            case .dateOnly:
                members = [
                    ("@odata.type", "Microsoft.Dynamics.CRM.DateTimeAttributeMetadata"), ("AttributeType", "DateTime"),
                    ("AttributeTypeName", .object([("Value", "DateTimeType")])), ("Format", "DateOnly"),
                    ("DateTimeBehavior", .object([("Value", "DateOnly")])),
                ]
            }
            members += [
                ("SchemaName", .string(schemaName)), ("DisplayName", Self.label(displayName)),
                ("RequiredLevel", .object([("Value", "None"), ("CanBeChanged", true), ("ManagedPropertyLogicalName", "canmodifyrequirementlevelsettings")])),
            ]
            return .object(members)
        }

        /// A `Label` with one English (1033) localized label.
        static func label(_ text: String) -> JSONText {
            .object([
                ("@odata.type", "Microsoft.Dynamics.CRM.Label"),
                ("LocalizedLabels", .array([.object([("@odata.type", "Microsoft.Dynamics.CRM.LocalizedLabel"), ("Label", .string(text)), ("LanguageCode", 1033)])])),
            ])
        }
    }

    /// A lookup to another table (a 1:N relationship whose "many" side is this table).
    struct Lookup: Sendable {
        var schemaName: String
        var displayName: String
        var relationshipSchemaName: String
        var referencedEntity: String
        var referencedAttribute: String
        /// The referenced table's entity set, for `@odata.bind`.
        var referencedEntitySet: String

        var logicalName: String { schemaName.lowercased() }
    }

    var schemaName: String
    var displayName: String
    var collectionName: String
    var primaryName: Column
    var columns: [Column]
    var keySchemaName: String
    /// The alternate key's columns, by schema name, in key order.
    var keyColumns: [String]
    var lookup: Lookup?

    var logicalName: String { schemaName.lowercased() }
    var allColumns: [Column] { [primaryName] + columns }

    /// `EntityMetadata` for `POST EntityDefinitions`, with every column.
    var metadata: JSONText {
        .object([
            ("@odata.type", "Microsoft.Dynamics.CRM.EntityMetadata"), ("SchemaName", .string(schemaName)),
            ("DisplayName", Column.label(displayName)), ("DisplayCollectionName", Column.label(collectionName)),
            ("Description", Column.label("Written by Rapport after each published run; do not edit (the next run overwrites it).")),
            ("OwnershipType", "OrganizationOwned"), ("IsActivity", false), ("HasActivities", false), ("HasNotes", false),
            ("PrimaryNameAttribute", .string(primaryName.logicalName)),
            ("Attributes", .array([primaryName.metadata(primaryName: true)] + columns.map { $0.metadata() })),
        ])
    }

    /// `EntityKeyMetadata` for `POST EntityDefinitions(…)/Keys`.
    var keyMetadata: JSONText {
        .object([
            ("@odata.type", "Microsoft.Dynamics.CRM.EntityKeyMetadata"), ("SchemaName", .string(keySchemaName)),
            ("DisplayName", Column.label("Rapport row key")), ("KeyAttributes", .array(keyColumns.map { .string($0.lowercased()) })),
        ])
    }

    /// `OneToManyRelationshipMetadata` with its `Lookup`, for `POST RelationshipDefinitions`.
    var lookupMetadata: JSONText? {
        guard let lookup else { return nil }
        return .object([
            ("@odata.type", "Microsoft.Dynamics.CRM.OneToManyRelationshipMetadata"), ("SchemaName", .string(lookup.relationshipSchemaName)),
            ("ReferencedEntity", .string(lookup.referencedEntity)), ("ReferencedAttribute", .string(lookup.referencedAttribute)),
            ("ReferencingEntity", .string(logicalName)), ("ReferencingEntityNavigationPropertyName", .string(lookup.schemaName)),
            ("CascadeConfiguration", .object([
                ("Assign", "NoCascade"), ("Delete", "RemoveLink"), ("Merge", "NoCascade"), ("Reparent", "NoCascade"), ("Share", "NoCascade"),
                ("Unshare", "NoCascade"),
            ])),
            ("Lookup", .object([
                ("@odata.type", "Microsoft.Dynamics.CRM.LookupAttributeMetadata"), ("AttributeType", "Lookup"),
                ("AttributeTypeName", .object([("Value", "LookupType")])), ("SchemaName", .string(lookup.schemaName)),
                ("DisplayName", Column.label(lookup.displayName)), ("RequiredLevel", .object([("Value", "None")])),
            ])),
        ])
    }
}

extension DataverseTableDefinition {
    /// The account-engagement table: one row per account, level and period, with the product's 16 columns.
    ///
    /// The alternate key is (account key, AggregationLevel, AggregationStartDate). The account key is the
    /// account id when it is short and made of characters Dataverse accepts in key values, else a digest of it
    /// ("Alternate key values with `/ < > * % & : \ ? +` aren't currently supported").
    static func accountEngagement(prefix: String) -> DataverseTableDefinition {
        func column(_ name: String, _ display: String, _ kind: Column.Kind) -> Column {
            Column(schemaName: "\(prefix)_\(name)", displayName: display, kind: kind)
        }
        let count = Column.Kind.integer(minimum: 0, maximum: Int(Int32.max))
        let days = Column.Kind.integer(minimum: Int(Int32.min), maximum: Int(Int32.max))
        let minutes = Column.Kind.decimal(precision: 2, minimum: -100_000_000_000, maximum: 100_000_000_000)
        var columns = [
            column("AccountKey", "Account key", .string(maxLength: 100)),
            column(EnrichedColumn.accountID.rawValue, "Account id", .string(maxLength: 400)),
        ]
        for figure in EnrichedColumn.figures {
            let kind: Column.Kind
            switch figure {
            case .engagementScore: kind = .integer(minimum: 0, maximum: 100)
            case .engagementStartDate: kind = .dateOnly
            case .daysSinceLastEmail, .daysSinceLastMeeting: kind = days
            case .averageDurationOfMeetings, .averageDurationOfAccountEmailReplies: kind = minutes
            default: kind = count
            }
            columns.append(column(figure.rawValue, figure.rawValue, kind))
        }
        columns.append(column(EnrichedColumn.aggregationStartDate.rawValue, "Aggregation start date", .dateOnly))
        columns.append(column(EnrichedColumn.aggregationLevel.rawValue, "Aggregation level", .string(maxLength: 10)))
        return DataverseTableDefinition(
            schemaName: "\(prefix)_AccountEngagement", displayName: "Account engagement", collectionName: "Account engagements",
            primaryName: column("Name", "Name", .string(maxLength: 450)), columns: columns, keySchemaName: "\(prefix)_AccountEngagementKey",
            keyColumns: ["\(prefix)_AccountKey", "\(prefix)_\(EnrichedColumn.aggregationLevel.rawValue)", "\(prefix)_\(EnrichedColumn.aggregationStartDate.rawValue)"],
            lookup: Lookup(
                schemaName: "\(prefix)_Account", displayName: "Account", relationshipSchemaName: "\(prefix)_account_\(prefix)_accountengagement",
                referencedEntity: "account", referencedAttribute: "accountid", referencedEntitySet: "accounts"))
    }

    /// The office-user table (the seed's `Office_UserEntity`): the selected mailboxes' directory ids, nothing else.
    static func officeUser(prefix: String) -> DataverseTableDefinition {
        DataverseTableDefinition(
            schemaName: "\(prefix)_OfficeUser", displayName: "Office user", collectionName: "Office users",
            primaryName: Column(schemaName: "\(prefix)_Name", displayName: "Name", kind: .string(maxLength: 100)),
            columns: [Column(schemaName: "\(prefix)_DirectoryId", displayName: "Directory id", kind: .string(maxLength: 100))],
            keySchemaName: "\(prefix)_OfficeUserKey", keyColumns: ["\(prefix)_DirectoryId"], lookup: nil)
    }
}
