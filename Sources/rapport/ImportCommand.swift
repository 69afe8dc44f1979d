import ArgumentParser
import Engagement
import Foundation
import Ingest
import Store

/// `rapport import`: an environment's customer data from CRM CSV exports.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import customer data: ACCOUNTS.csv then CONTACTS.csv replace the environment's accounts and contacts in one transaction.",
        discussion: "Any error names its file, row and column, and then nothing is written.")

    @OptionGroup var target: EnvironmentOptions
    @Option(name: .customLong("email-field"), help: "A contact column holding an email address (repeat; default: every column whose name contains \"email\").")
    var emailFields: [String] = []
    @Argument(help: "The accounts CSV, then the contacts CSV.") var files: [String]

    func run() async throws {
        guard files.count == 2 else { throw ValidationError("give the accounts CSV and the contacts CSV, in that order") }
        let (accounts, contacts) = try Self.readCustomerData(accounts: files[0], contacts: files[1], emailFields: emailFields)
        try await OperatorContext.run { context in
            let tenant = try await context.control.findTenant(target.tenant)
            let environment = try await context.control.findEnvironment(tenant: tenant.id, target.environment)
            let store = try context.runtime.services.customerData(for: environment)
            let counts = try await store.replace(tenant: tenant.id, environment: environment.id, accounts: accounts, contacts: contacts)
            print("imported \(counts.accounts) accounts, \(counts.contacts) contacts, \(counts.contactEmails) contact email addresses into \(environment.name) (\(environment.region.rawValue))")
        }
    }

    /// Parses both files; the first error (file, row, column) ends the command with status 2.
    static func readCustomerData(accounts: String, contacts: String, emailFields: [String]) throws -> ([BusinessAccount], [Contact]) {
        func bytes(_ path: String) -> [UInt8] {
            guard let data = FileManager.default.contents(atPath: path) else { fail("\(path): cannot read the file") }
            return Array(data)
        }
        do {
            let parsedAccounts = try CRMCSVParser.accounts(bytes(accounts))
            if let error = parsedAccounts.errors.first { fail("\(accounts): \(error)") }
            let parsedContacts = try CRMCSVParser.contacts(bytes(contacts), columns: .init(emails: emailFields))
            if let error = parsedContacts.errors.first { fail("\(contacts): \(error)") }
            return (parsedAccounts.accounts, parsedContacts.contacts)
        } catch {
            fail("\(error.file ?? "\(accounts) / \(contacts)"): \(error)")
        }
    }
}
