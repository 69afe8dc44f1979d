import Engagement
import Foundation
import Generator
import Ingest

#if canImport(Glibc)
import Glibc
#endif

/// One generated organization (seed 42, default sizes) written once per test process and shared by the suites.
struct GeneratedFixture: Sendable {
    static let asOf = Date(timeIntervalSince1970: 1_795_910_400)  // 2026-11-29T00:00:00Z
    static let spec = OrganizationSpec(seed: 42, asOf: asOf)
    static let shared = GeneratedFixture()

    let folder: URL
    let organization: SyntheticOrganization
    let figures: ExpectedFigures
    let chunks: [ActivityChunk]

    init() {
        folder = Self.temporaryFolder("fixture")
        organization = SyntheticOrganization(Self.spec)
        figures = try! OrganizationWriter(organization: organization).write(to: folder)
        var chunks: [ActivityChunk] = []
        ActivityGenerator(organization).forEachChunk { chunks.append($0) }
        self.chunks = chunks
    }

    var emails: [GeneratedEmail] { chunks.flatMap(\.emails) }
    var events: [GeneratedEvent] { chunks.flatMap(\.events) }

    /// A folder under the temporary directory that is removed when the test process exits.
    static func temporaryFolder(_ name: String) -> URL {
        let url = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("rapport-generator-\(getpid())-\(name)")
        try? FileManager.default.removeItem(at: url)
        Cleanup.register(url)
        return url
    }

    /// The window tests read calendars in: wide enough for every generated occurrence.
    static var readingWindow: TimeWindow {
        TimeWindow(from: asOf.addingTimeInterval(-420 * 86_400), to: asOf.addingTimeInterval(40 * 86_400))
    }

    /// Reads a file or folder with the production reader; fails on any problem.
    func read(_ path: String) throws -> [ActivityRecord] {
        var records: [ActivityRecord] = []
        var problems: [IngestError] = []
        try ActivityFileReader(window: Self.readingWindow).read(
            path: folder.appendingPathComponent(path).path, record: { records.append($0) }, problem: { problems.append($0) })
        if let first = problems.first { throw first }
        return records
    }

    /// The production classifier for the organization, as the importer builds it from the CSV files.
    func classifier() throws -> ActivityClassifier {
        let accounts = try CRMCSVParser.accounts(Array(try Data(contentsOf: folder.appendingPathComponent("accounts.csv")))).accounts
        let contacts = try CRMCSVParser.contacts(Array(try Data(contentsOf: folder.appendingPathComponent("contacts.csv")))).contacts
        var byAddress: [String: String] = [:]
        for contact in contacts {
            for address in contact.emailsByColumn.values {
                if let existing = byAddress[address], existing <= contact.accountID { continue }
                byAddress[address] = contact.accountID
            }
        }
        let lookup = byAddress
        let matcher = AccountMatcher(
            internalDomains: organization.internalDomains, selectedAddresses: Set(organization.directory.resolvedSelection()),
            accounts: accounts, contactAccount: { lookup[$0] })
        return ActivityClassifier(matcher: matcher, rules: NoiseRules())
    }
}
