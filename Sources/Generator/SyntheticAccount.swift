/// A generated business account: its CRM row, its people, and how busy it is.
public struct SyntheticAccount: Sendable, Hashable {
    /// The CRM id (`accountid`, a GUID).
    public var id: String
    public var name: String
    /// The website as the CRM holds it (`https://www.x.com/`, `x.com`, or empty).
    public var websiteURL: String
    /// The normalized web domains the matcher sees.
    public var domains: [String]
    /// The account whose domain is a parent of this one's (`eu.x.com` under `x.com`).
    public var parent: Int?
    public var tier: ActivityTier
    /// The share of activity it gets (relative).
    public var weight: Double
    /// The selected mailboxes that work with it, the owner first.
    public var team: [Int]
    /// Its contacts (indices into `SyntheticOrganization.contacts`).
    public var contacts: Range<Int>
    /// People at its domain who are not CRM contacts (matched by domain).
    public var domainPeople: [Participant]
    /// The IANA zone its people write from.
    public var timeZone: String
}
