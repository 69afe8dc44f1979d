import Foundation

/// What to generate: the seed, the sizes, the as-of time and the organization's own domain.
///
/// Volumes left nil follow the size: 1–8 contacts per account (skewed), 60
/// emails and 6 meeting occurrences per account over the year.
public struct OrganizationSpec: Sendable, Hashable {
    public var seed: UInt64
    /// Business accounts in the CRM.
    public var accounts: Int
    /// Selected mailboxes of the organization (2 to 2,500 in the product).
    public var mailboxes: Int
    /// Contacts in total; nil: 1–8 per account, skewed towards the busy accounts.
    public var contacts: Int?
    /// Distinct email messages in total, noise included; nil: 60 per account.
    public var emails: Int?
    /// Meeting occurrences in total (series expanded), noise included; nil: 6 per account.
    public var meetings: Int?
    /// The end of the one-year window; activity lies in the year before it (a little before and after, on purpose).
    public var asOf: Date
    /// The organization's own mail domain.
    public var domain: String

    public init(
        seed: UInt64, accounts: Int = 200, mailboxes: Int = 20, contacts: Int? = nil, emails: Int? = nil, meetings: Int? = nil,
        asOf: Date, domain: String = "example-org.com"
    ) {
        self.seed = seed
        self.accounts = accounts
        self.mailboxes = mailboxes
        self.contacts = contacts
        self.emails = emails
        self.meetings = meetings
        self.asOf = asOf
        self.domain = domain
    }

    /// The as-of time in whole seconds since 1970.
    public var asOfSeconds: Int { Int(asOf.timeIntervalSince1970.rounded(.down)) }
    /// The one-year window's start (365 days before the as-of time), as the importer and aggregator use it.
    public var windowStartSeconds: Int { asOfSeconds - 365 * 86_400 }
    public var totalEmails: Int { emails ?? 60 * accounts }
    public var totalMeetings: Int { meetings ?? 6 * accounts }
}
