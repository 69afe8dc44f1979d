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

    /// `account`: the Dataverse account the row's account id names, when it is one (sets the lookup).
    init(_ row: EnrichedRow, table: DataverseTableDefinition, entitySet: String, account: UUID?) {
        key = DataverseExportStore.RowKey(level: row.aggregationLevel, periodStart: row.aggregationStartDate, accountID: row.accountID)
        let accountKey = Self.accountKey(row.accountID)
        let keyColumns = table.keyColumns.map { $0.lowercased() }
        reference = "\(entitySet)(\(keyColumns[0])=\(Self.quoted(accountKey)),\(keyColumns[1])=\(Self.quoted(row.aggregationLevel)),\(keyColumns[2])=\(row.aggregationStartDate))"
        let prefix = table.primaryName.schemaName.split(separator: "_").first.map(String.init) ?? "rapport"
        func name(_ column: EnrichedColumn) -> String { "\(prefix)_\(column.rawValue)".lowercased() }
        var members: [(String, JSONText)] = [
            ("@odata.type", .string("Microsoft.Dynamics.CRM.\(table.logicalName)")), ("@odata.id", .string(reference)),
            (table.primaryName.logicalName, .string(String("\(row.accountID) · \(row.aggregationLevel) \(row.aggregationStartDate)".prefix(450)))),
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
        if let account, let lookup = table.lookup {
            members.append(("\(lookup.schemaName)@odata.bind", .string("/\(lookup.referencedEntitySet)(\(account.uuidString.lowercased()))")))
        }
        body = JSONText.object(members).bytes(indent: false)
        hash = SHA256.hash(data: body).map { String(format: "%02x", $0) }.joined()
    }

    /// The key value of an account id: the id itself when it is at most 100 characters Dataverse accepts in a
    /// key (letters, digits, `-`, `.`, `_`, `~`), else `h-` and the first 40 hex digits of its SHA-256.
    static func accountKey(_ accountID: String) -> String {
        let allowed = accountID.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "~")
        }
        if allowed, !accountID.isEmpty, accountID.utf8.count <= 100, !accountID.hasPrefix("h-") { return accountID }
        return "h-" + SHA256.hash(data: Data(accountID.utf8)).map { String(format: "%02x", $0) }.joined().prefix(40)
    }

    /// An OData string literal: single quotes, a quote inside doubled.
    static func quoted(_ value: String) -> String {
        "'\(value.replacingOccurrences(of: "'", with: "''"))'"
    }
}
