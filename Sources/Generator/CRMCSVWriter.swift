import Foundation

/// Writes the accounts and contacts as a CRM (Dynamics 365) export: CSV with CRLF line ends, RFC 4180 quoting.
enum CRMCSVWriter {
    static func accounts(_ organization: SyntheticOrganization) -> [UInt8] {
        var out = "accountid,name,websiteurl\r\n"
        for account in organization.accounts {
            out += "\(field(account.id)),\(field(account.name)),\(field(account.websiteURL))\r\n"
        }
        return Array(out.utf8)
    }

    static func contacts(_ organization: SyntheticOrganization) -> [UInt8] {
        var out = "contactid,parentcustomerid,emailaddress1,emailaddress2\r\n"
        for contact in organization.contacts {
            let account = organization.accounts[contact.account].id
            out += "\(field(contact.id)),\(field(account)),\(field(contact.email1)),\(field(contact.email2))\r\n"
        }
        return Array(out.utf8)
    }

    /// A field, quoted when it holds a comma, a quote or a line break.
    static func field(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == ";" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
