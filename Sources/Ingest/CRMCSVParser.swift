import Engagement

/// Reads business accounts and contacts from CRM CSV exports.
///
/// Header names are matched without regard to case or surrounding spaces.
/// Errors name the row (the header is row 1) and the column; a bad row is
/// reported and the other rows are still read.
public enum CRMCSVParser {
    /// The longest id accepted, in characters.
    public static let maximumIDLength = 200
    /// The longest account name accepted (Dataverse's own limit is 160).
    public static let maximumNameLength = 400

    /// A problem with one cell's text: control characters (NUL among them) or too long.
    static func problem(_ value: String, limit: Int, line: Int, column: String) -> IngestError? {
        if value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return IngestError(.invalidField, "contains a control character (such as NUL or a line break)", line: line, field: column)
        }
        if value.count > limit {
            return IngestError(.invalidField, "is longer than \(limit) characters", line: line, field: column)
        }
        return nil
    }
    /// Which columns hold an account's fields; the first name present wins.
    public struct AccountColumns: Sendable {
        public var id: [String] = ["id", "accountid", "account_id", "account id"]
        public var name: [String] = ["name", "accountname", "account_name", "account name"]
        public var domains: [String] = ["domains", "domain", "web domains", "web_domains", "websiteurl", "website", "web site", "url"]
        public init() {}
    }

    /// Which columns hold a contact's fields. `emails` names the email columns;
    /// when empty, every column whose name contains "email" or "e-mail" is one.
    public struct ContactColumns: Sendable {
        public var id: [String] = ["id", "contactid", "contact_id", "contact id"]
        public var accountID: [String] = ["accountid", "account_id", "account id", "parentcustomerid", "companyid", "company_id"]
        public var emails: [String] = []
        public init(emails: [String] = []) { self.emails = emails }
    }

    public static func accounts(_ bytes: [UInt8], columns: AccountColumns = AccountColumns()) throws(IngestError) -> (accounts: [BusinessAccount], errors: [IngestError]) {
        let rows = try CSVReader.rows(bytes)
        guard let header = rows.first else { throw IngestError(.missingField, "the file has no header row", line: 1) }
        let names = header.fields.map { $0.trimmingSpaces().lowercased() }
        func index(_ options: [String], _ label: String, required: Bool) throws(IngestError) -> Int? {
            for o in options { if let k = names.firstIndex(of: o.lowercased()) { return k } }
            if required { throw IngestError(.missingField, "no \(label) column (looked for \(options.joined(separator: ", ")))", line: 1, field: label) }
            return nil
        }
        let idCol = try index(columns.id, "id", required: true)!
        let nameCol = try index(columns.name, "name", required: true)!
        let domCol = try index(columns.domains, "domains", required: false)
        var out: [BusinessAccount] = []
        var errors: [IngestError] = []
        for row in rows.dropFirst() {
            func cell(_ k: Int) -> String { k < row.fields.count ? row.fields[k].trimmingSpaces() : "" }
            let id = cell(idCol)
            guard !id.isEmpty else {
                errors.append(IngestError(.missingField, "empty id", line: row.number, field: header.fields[idCol]))
                continue
            }
            if let error = problem(id, limit: maximumIDLength, line: row.number, column: header.fields[idCol])
                ?? problem(cell(nameCol), limit: maximumNameLength, line: row.number, column: header.fields[nameCol]) {
                errors.append(error)
                continue
            }
            var domains: [String] = []
            if let domCol {
                for item in DomainNormalizer.split(cell(domCol)) {
                    if let d = DomainNormalizer.normalize(item) {
                        if !domains.contains(d) { domains.append(d) }
                    } else {
                        errors.append(IngestError(.invalidField, "not a web domain: \(item.debugDescription)", line: row.number, field: header.fields[domCol]))
                    }
                }
            }
            out.append(BusinessAccount(id: id, name: cell(nameCol), domains: domains))
        }
        return (out, errors)
    }

    public static func contacts(_ bytes: [UInt8], columns: ContactColumns = ContactColumns()) throws(IngestError) -> (contacts: [Contact], errors: [IngestError]) {
        let rows = try CSVReader.rows(bytes)
        guard let header = rows.first else { throw IngestError(.missingField, "the file has no header row", line: 1) }
        let names = header.fields.map { $0.trimmingSpaces().lowercased() }
        func index(_ options: [String], _ label: String) throws(IngestError) -> Int {
            for o in options { if let k = names.firstIndex(of: o.lowercased()) { return k } }
            throw IngestError(.missingField, "no \(label) column (looked for \(options.joined(separator: ", ")))", line: 1, field: label)
        }
        let idCol = try index(columns.id, "id")
        let accountCol = try index(columns.accountID, "account id")
        var emailCols: [Int] = []
        if columns.emails.isEmpty {
            emailCols = names.indices.filter { names[$0].contains("email") || names[$0].contains("e-mail") }
        } else {
            for e in columns.emails { emailCols.append(try index([e], e)) }
        }
        guard !emailCols.isEmpty else { throw IngestError(.missingField, "no email column", line: 1, field: "email") }
        var out: [Contact] = []
        var errors: [IngestError] = []
        for row in rows.dropFirst() {
            func cell(_ k: Int) -> String { k < row.fields.count ? row.fields[k].trimmingSpaces() : "" }
            let id = cell(idCol)
            guard !id.isEmpty else {
                errors.append(IngestError(.missingField, "empty id", line: row.number, field: header.fields[idCol]))
                continue
            }
            if let error = problem(id, limit: maximumIDLength, line: row.number, column: header.fields[idCol])
                ?? problem(cell(accountCol), limit: maximumIDLength, line: row.number, column: header.fields[accountCol]) {
                errors.append(error)
                continue
            }
            var emails: [String: String] = [:]
            for c in emailCols {
                var v = cell(c)
                if v.isEmpty { continue }
                if v.lowercased().hasPrefix("mailto:") { v = String(v.dropFirst(7)) }
                if let a = NDJSONParser.Reader.normalizeAddress(v) {
                    emails[header.fields[c].trimmingSpaces()] = a
                } else {
                    errors.append(IngestError(.invalidField, "not an email address: \(v.debugDescription)", line: row.number, field: header.fields[c]))
                }
            }
            out.append(Contact(id: id, accountID: cell(accountCol), emailsByColumn: emails))
        }
        return (out, errors)
    }
}
