import Engagement
import Foundation
import Ingest

/// Reads business accounts and contacts from a CRM's CSV exports; the first problem names the file, row and column.
public enum CustomerDataFiles {
    public static func read(accounts: String, contacts: String, emailFields: [String]) throws -> ([BusinessAccount], [Contact]) {
        let parsedAccounts: (accounts: [BusinessAccount], errors: [IngestError])
        do {
            parsedAccounts = try CRMCSVParser.accounts(try bytes(accounts))
        } catch let error as IngestError {
            throw ServiceError(.invalid, "\(accounts): \(error)")
        }
        if let error = parsedAccounts.errors.first { throw ServiceError(.invalid, "\(accounts): \(error)") }
        let parsedContacts: (contacts: [Contact], errors: [IngestError])
        do {
            parsedContacts = try CRMCSVParser.contacts(try bytes(contacts), columns: .init(emails: emailFields))
        } catch let error as IngestError {
            throw ServiceError(.invalid, "\(contacts): \(error)")
        }
        if let error = parsedContacts.errors.first { throw ServiceError(.invalid, "\(contacts): \(error)") }
        return (parsedAccounts.accounts, parsedContacts.contacts)
    }

    static func bytes(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else { throw ServiceError(.invalid, "\(path): cannot read the file") }
        return Array(data)
    }
}
