/// A user of the organization's directory (Entra ID shaped).
public struct DirectoryUser: Sendable, Hashable {
    /// The directory object id (a GUID).
    public var id: String
    public var mail: String
    public var userPrincipalName: String
    public var displayName: String
    public var department: String
    /// The selected mailbox index, when the user is one of the selected.
    public var mailbox: Int?
}
