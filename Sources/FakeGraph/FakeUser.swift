/// A directory user of the fake tenant.
public struct FakeUser: Sendable, Codable, Equatable {
    public var id: String
    public var mail: String?
    public var userPrincipalName: String
    public var displayName: String
    /// Whether the user has a mailbox the fake serves (guests and service accounts may not).
    public var hasMailbox: Bool

    public init(id: String, mail: String?, userPrincipalName: String, displayName: String, hasMailbox: Bool = true) {
        self.id = id
        self.mail = mail
        self.userPrincipalName = userPrincipalName
        self.displayName = displayName
        self.hasMailbox = hasMailbox
    }

    /// The address mail is collected for: mail, else the user principal name.
    public var address: String { (mail ?? userPrincipalName).lowercased() }
}
