import ArgumentParser
import Engagement
import Foundation
import Ingest
import Platform
import Synchronization

/// `rapport import`: customer data from CRM CSV exports and activity from mail, calendar, Graph and NDJSON files.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import customer data (ACCOUNTS.csv CONTACTS.csv) and activity files (mbox, .eml, .ics, Graph JSON, NDJSON).",
        discussion: """
            The two CSV files, in that order, replace the environment's accounts and contacts in one transaction. \
            Activity files are read, matched and stored as pseudonymized signals in one transaction. Any error names \
            its file, row or line and column; a file that cannot be read stops the import and nothing is written.
            """)

    @OptionGroup var target: EnvironmentOptions
    @Option(name: .customLong("email-field"), help: "A contact column holding an email address (repeat; default: every column whose name contains \"email\").")
    var emailFields: [String] = []
    @Flag(help: "Print the import report as JSON.") var json = false
    @Argument(help: "ACCOUNTS.csv CONTACTS.csv, and/or activity files and folders.") var files: [String]

    func run() async throws {
        let csv = files.filter { $0.lowercased().hasSuffix(".csv") }
        let activity = files.filter { !$0.lowercased().hasSuffix(".csv") }
        guard csv.isEmpty || csv.count == 2 else { throw ValidationError("give the accounts CSV and the contacts CSV, in that order") }
        let customerData = try csv.isEmpty
            ? nil : OperatorContext.orFail { try CustomerDataFiles.read(accounts: csv[0], contacts: csv[1], emailFields: emailFields) }
        try await OperatorContext.run { context in
            let tenant = try await context.control.findTenant(target.tenant)
            let environment = try await context.control.findEnvironment(tenant: tenant.id, target.environment)
            let services = context.runtime.services
            if let (accounts, contacts) = customerData {
                let counts = try await services.platform.scope(for: environment).customerData.replace(
                    accounts: accounts, contacts: contacts)
                print("imported \(counts.accounts) accounts, \(counts.contacts) contacts, \(counts.contactEmails) contact email addresses into \(environment.name) (\(environment.region.rawValue))")
            }
            guard !activity.isEmpty else { return }
            let scope = try await services.platform.activityScope(for: environment)
            let problems = Mutex<[IngestError]>([])
            let source = FileRecordSource(paths: activity, window: TimeWindow(from: scope.windowStart, to: scope.windowEnd))
            let report = try await services.platform.scope(for: environment).importer.importRecords(scope) { consume in
                try await source.forEach(problem: { error in problems.withLock { $0.append(error) } }) { record in
                    try await consume(record)
                }
                if let first = problems.withLock({ $0.first }) {
                    throw ServiceError(.invalid, "\(first)", field: first.file)
                }
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                encoder.keyEncodingStrategy = .convertToSnakeCase
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
            } else {
                Self.printReport(report)
            }
        }
    }

    static func printReport(_ report: ImportReport) {
        print("read \(report.recordsRead) records (\(report.emailsRead) emails, \(report.meetingsRead) meeting occurrences)")
        print("stored \(report.emailSignalsStored) email signals and \(report.meetingSignalsStored) meeting signals for \(report.accountsMatched) accounts; \(report.duplicates) already stored")
        if report.outsideWindow > 0 { print("skipped \(report.outsideWindow) outside the one-year window") }
        for (rule, count) in report.skipped.sorted(by: { $0.key < $1.key }) {
            print("skipped \(count) by \(rule)")
        }
    }
}
