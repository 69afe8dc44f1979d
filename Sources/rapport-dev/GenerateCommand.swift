import ArgumentParser
import Foundation
import Generator
import Ingest

/// `rapport-dev generate`: a realistic synthetic organization, reproducible from its seed.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate a synthetic organization: CRM CSV, directory, mbox, iCalendar, NDJSON, a fake Graph tenant, and a manifest.",
        discussion: """
            The same seed, sizes and --as-of give byte-identical files. accounts.csv, contacts.csv, directory.json and \
            manifest.json are always written; --formats picks mail/ and calendar/ (files), activity.ndjson (ndjson) and \
            graph/ (graph). See docs/generator.md.
            """)

    @Option(help: "The seed (an unsigned 64-bit integer).") var seed: UInt64 = 1
    @Option(help: "Business accounts.") var accounts = 200
    @Option(help: "Selected mailboxes of the organization (2 or more).") var mailboxes = 20
    @Option(help: "Contacts in total (default: 1–8 per account, skewed).") var contacts: Int?
    @Option(help: "Distinct emails in total, noise included (default: 60 per account).") var emails: Int?
    @Option(help: "Meeting occurrences in total (default: 6 per account).") var meetings: Int?
    @Option(help: "The end of the one-year window, RFC 3339 (default: today 00:00 UTC).") var asOf: String?
    @Option(help: "The organization's own mail domain.") var domain = "example-org.com"
    @Option(help: "The folder to write into (created when missing).") var out: String
    @Option(help: "Comma-separated: files, ndjson, graph.") var formats = "files,ndjson,graph"

    func validate() throws {
        guard accounts >= 1 else { throw ValidationError("--accounts must be at least 1") }
        guard mailboxes >= 2 else { throw ValidationError("--mailboxes must be at least 2") }
        if let contacts, contacts < 0 { throw ValidationError("--contacts must not be negative") }
        if let emails, emails < 0 { throw ValidationError("--emails must not be negative") }
        if let meetings, meetings < 0 { throw ValidationError("--meetings must not be negative") }
        _ = try chosenFormats()
        _ = try moment()
    }

    func chosenFormats() throws -> [OutputFormat] {
        try formats.split(separator: ",").map { name in
            guard let format = OutputFormat(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("--formats: unknown format \"\(name)\" (files, ndjson, graph)")
            }
            return format
        }
    }

    func moment() throws -> Date {
        guard let asOf else {
            let now = Int(Date().timeIntervalSince1970)
            return Date(timeIntervalSince1970: TimeInterval(now - now % 86_400))
        }
        guard let seconds = RFC3339.parse(asOf) else { throw ValidationError("--as-of must be RFC 3339, e.g. 2026-11-29T00:00:00Z") }
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    func run() throws {
        let spec = OrganizationSpec(
            seed: seed, accounts: accounts, mailboxes: mailboxes, contacts: contacts, emails: emails, meetings: meetings,
            asOf: try moment(), domain: domain.lowercased())
        let started = ContinuousClock.now
        let organization = SyntheticOrganization(spec)
        let figures = try OrganizationWriter(organization: organization, formats: try chosenFormats())
            .write(to: URL(fileURLWithPath: out))
        let elapsed = ContinuousClock.now - started
        print("""
            wrote \(out): \(organization.accounts.count) accounts, \(organization.contacts.count) contacts, \
            \(organization.mailboxes.count) mailboxes, \(figures.emails) emails (\(figures.emailCopies) mailbox copies), \
            \(figures.meetingOccurrences) meeting occurrences in \(figures.meetingEvents) events; \
            expected: \(figures.enrichedAccounts.count) enriched accounts, \(figures.emailSignals) email and \
            \(figures.meetingSignals) meeting signals (\(elapsed.formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 1)))))
            """)
    }
}
