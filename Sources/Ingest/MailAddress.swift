/// One mailbox of an address header: the address and its decoded display name.
public struct MailAddress: Sendable, Hashable {
    /// Lowercase `local@domain`.
    public var address: String
    /// The display name with RFC 2047 encoded words decoded; nil when absent.
    public var displayName: String?

    public init(address: String, displayName: String? = nil) {
        self.address = address
        self.displayName = displayName
    }
}
