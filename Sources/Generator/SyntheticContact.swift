/// A generated CRM contact of an account.
public struct SyntheticContact: Sendable, Hashable {
    /// The CRM id (`contactid`, a GUID).
    public var id: String
    public var account: Int
    /// The person as they appear in mail (their `emailaddress1`), nil for a contact without an email address.
    public var person: Participant?
    /// `emailaddress1` as the CRM holds it (mixed case sometimes).
    public var email1: String
    /// `emailaddress2` (a second address, never used in activity), or empty.
    public var email2: String
    /// Whether `emailaddress1` is at a free-mail domain (it maps to the account only through the contact).
    public var isFreeMail: Bool
}
