import Engagement
import Foundation

/// Generates a year of an organization's email and meetings, one chunk per account, in constant memory.
///
/// Each account's chunk depends only on the seed and the account (a forked
/// random stream), so chunks can be generated in any order, one at a time:
/// `forEachChunk` for the rich form the writers use, `records` for
/// `ActivityRecord`s (a `Sequence` and an `AsyncSequence`) for benchmarks that
/// need millions without files. Every email and occurrence is generated once;
/// the writers copy it into each selected mailbox that holds it.
public struct ActivityGenerator: Sendable {
    public let organization: SyntheticOrganization
    /// Emails of each account's chunk (noise from its domain included).
    let emailQuota: [Int]
    /// Meeting occurrences of each account's chunk.
    let meetingQuota: [Int]
    /// Emails of the organization-wide chunk.
    let globalEmails: Int
    /// Meeting occurrences of the organization-wide chunk (all-hands, webinars, internal one-to-ones).
    let globalMeetings: Int
    /// Each account's contacts that have an address, the main contact first.
    let people: [[Participant]]
    /// The selected mailboxes in the `sales@` distribution list (transitively).
    let salesMailboxes: [Int]

    public init(_ organization: SyntheticOrganization) {
        self.organization = organization
        let spec = organization.spec
        let accounts = organization.accounts
        let eligible = accounts.map { $0.tier != .inactive && !$0.contacts.isEmpty }
        // Organization-wide mail: vendor newsletters, announcements, cold mail (about 2%).
        let totalEmails = spec.totalEmails
        globalEmails = min(totalEmails, max(totalEmails / 50, min(totalEmails, 10)))
        // Each active or stale account gets at least three emails; the rest follows the weights.
        let floor = min(3, (totalEmails - globalEmails) / max(1, eligible.filter { $0 }.count))
        let base = eligible.map { $0 ? floor : 0 }
        let spread = Quota.split(
            totalEmails - globalEmails - base.reduce(0, +), weights: zip(accounts, eligible).map { $1 ? $0.weight : 0 })
        emailQuota = zip(base, spread).map { $0 + $1 }
        let totalMeetings = spec.totalMeetings
        globalMeetings = min(totalMeetings, 55)
        meetingQuota = Quota.split(
            totalMeetings - globalMeetings, weights: zip(accounts, eligible).map { $1 ? $0.weight : 0 })
        people = accounts.map { account in account.contacts.compactMap { organization.contacts[$0].person } }
        let directory = organization.directory
        let sales = directory.groups.first { $0.mail == "sales@\(spec.domain)" }.map { directory.transitiveUsers(of: $0.id) } ?? []
        let boxes = sales.compactMap(\.mailbox).sorted()
        salesMailboxes = boxes.isEmpty ? [0] : boxes
    }

    /// Accounts first (in order), then the organization-wide chunk.
    public var chunkCount: Int { organization.accounts.count + 1 }

    /// The chunk at `index`: an account's activity, or the organization-wide activity for the last index.
    public func chunk(_ index: Int) -> ActivityChunk {
        var builder = ChunkBuilder(generator: self, chunk: index)
        if index < organization.accounts.count {
            builder.buildAccount(index)
        } else {
            builder.buildOrganizationWide()
        }
        return ActivityChunk(account: index < organization.accounts.count ? index : nil, emails: builder.emails, events: builder.events)
    }

    /// Calls `body` with every chunk in order.
    public func forEachChunk(_ body: (ActivityChunk) throws -> Void) rethrows {
        for index in 0..<chunkCount { try body(chunk(index)) }
    }

    /// Every distinct email and meeting occurrence as an `ActivityRecord`, chunk by chunk.
    public var records: ActivityRecords { ActivityRecords(generator: self) }
}
