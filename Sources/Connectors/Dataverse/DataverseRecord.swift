import Crypto
import Foundation
import Ingest
import Platform

/// One enriched row as a target of `UpsertMultiple`: its body, its alternate-key reference and the hash of both.
///
/// "You must set the `@odata.type` property for each item in the `Targets` parameter"; the record is named by
/// its alternate key in `@odata.id`, and the key's values are not repeated in the body
/// (learn.microsoft.com/power-apps/developer/data-platform/bulk-operations, …/webapi/use-alternate-key-reference-record).
struct DataverseRecord: Sendable {
    let key: DataverseExportStore.RowKey
    /// `{entitySet}(key='…',…)`: the record's address in the organization.
    let reference: String
    /// The target object, as sent.
    let body: [UInt8]
    /// Hex SHA-256 of `body`: the row is sent again only when this changes.
    let hash: String

    /// What every record of one table shares, worked out once per export rather than once per row.
    struct Layout: Sendable {
        let entitySet: String
        let odataType: String
        let keyColumns: [String]
        let primaryName: String
        /// The column of each enriched value, in `EnrichedColumn` order of the body.
        let columns: [EnrichedColumn: String]
        /// `{schema name}@odata.bind` and the referenced entity set, when the table has the account lookup.
        let lookup: (bind: String, entitySet: String)?

        init(table: DataverseTableDefinition, entitySet: String) {
            self.entitySet = entitySet
            odataType = "Microsoft.Dynamics.CRM.\(table.logicalName)"
            keyColumns = table.keyColumns.map { $0.lowercased() }
            primaryName = table.primaryName.logicalName
            let prefix = table.primaryName.schemaName.split(separator: "_").first.map(String.init) ?? "rapport"
            var columns: [EnrichedColumn: String] = [:]
            for column in EnrichedColumn.allCases { columns[column] = "\(prefix)_\(column.rawValue)".lowercased() }
            self.columns = columns
            lookup = table.lookup.map { ("\($0.schemaName)@odata.bind", $0.referencedEntitySet) }
        }
    }

    /// `account`: the Dataverse account the row's account id names, when it is one (sets the lookup).
    init(_ row: EnrichedRow, layout: Layout, account: UUID?) {
        key = DataverseExportStore.RowKey(level: row.aggregationLevel, periodStart: row.aggregationStartDate, accountID: row.accountID)
        let keyColumns = layout.keyColumns
        reference = "\(layout.entitySet)(\(keyColumns[0])=\(Self.quoted(Self.accountKey(row.accountID))),\(keyColumns[1])=\(Self.quoted(row.aggregationLevel)),\(keyColumns[2])=\(row.aggregationStartDate))"
        func name(_ column: EnrichedColumn) -> String { layout.columns[column]! }
        var members: [(String, JSONText)] = [
            ("@odata.type", .string(layout.odataType)), ("@odata.id", .string(reference)),
            (layout.primaryName, .string(String("\(row.accountID) · \(row.aggregationLevel) \(row.aggregationStartDate)".prefix(450)))),
            (name(.accountID), .string(String(row.accountID.prefix(400)))),
            (name(.engagementScore), .int(row.engagementScore)),
            (name(.emailsToAccount), .int(row.emailsToAccount)),
            (name(.emailsFromAccount), .int(row.emailsFromAccount)),
            (name(.meetingsFromAccount), .int(row.meetingsFromAccount)),
            (name(.meetingsToAccount), .int(row.meetingsToAccount)),
            (name(.contactsInvolvedMeetings), .int(row.contactsInvolvedMeetings)),
            (name(.contactsInvolvedEmails), .int(row.contactsInvolvedEmails)),
            (name(.accountContactsInvolvedMeetings), .int(row.accountContactsInvolvedMeetings)),
            (name(.accountContactsInvolvedEmails), .int(row.accountContactsInvolvedEmails)),
            (name(.engagementStartDate), row.engagementStartDate.map { .string($0) } ?? .null),
            (name(.daysSinceLastEmail), row.daysSinceLastEmail.map { .int($0) } ?? .null),
            (name(.daysSinceLastMeeting), row.daysSinceLastMeeting.map { .int($0) } ?? .null),
            (name(.averageDurationOfMeetings), row.averageDurationOfMeetings.map { .decimal($0, places: 2) } ?? .null),
            (name(.averageDurationOfAccountEmailReplies), row.averageDurationOfAccountEmailReplies.map { .decimal($0, places: 2) } ?? .null),
        ]
        if let account, let lookup = layout.lookup {
            members.append((lookup.bind, .string("/\(lookup.entitySet)(\(account.uuidString.lowercased()))")))
        }
        body = JSONText.object(members).bytes(indent: false)
        hash = Self.hex(SHA256.hash(data: body))
    }

    /// Lower-case hex of a digest.
    static func hex(_ digest: SHA256.Digest) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(SHA256.byteCount * 2)
        for byte in digest {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The key value of an account id: the id itself when it is at most 100 characters Dataverse accepts in a
    /// key (letters, digits, `-`, `.`, `_`, `~`), else `h-` and the first 40 hex digits of its SHA-256.
    static func accountKey(_ accountID: String) -> String {
        let allowed = accountID.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "~")
        }
        if allowed, !accountID.isEmpty, accountID.utf8.count <= 100, !accountID.hasPrefix("h-") { return accountID }
        return "h-" + hex(SHA256.hash(data: Data(accountID.utf8))).prefix(40)
    }

    /// An OData string literal: single quotes, a quote inside doubled.
    static func quoted(_ value: String) -> String {
        "'\(value.replacingOccurrences(of: "'", with: "''"))'"
    }
}
