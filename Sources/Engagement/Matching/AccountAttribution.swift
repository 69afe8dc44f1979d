/// Which account an address belongs to, and how that was decided.
public struct AccountAttribution: Sendable, Hashable {
    /// The evidence for an attribution.
    public enum Via: Sendable, Hashable {
        /// A contact of the account carries the address in the mapped email field.
        case contact
        /// The account lists this web domain, which is the address's domain or a parent of it.
        case domain(String)
    }

    public var accountID: String
    public var via: Via

    public init(accountID: String, via: Via) {
        self.accountID = accountID
        self.via = via
    }
}
