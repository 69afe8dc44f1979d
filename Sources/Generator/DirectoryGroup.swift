/// A group of the organization's directory: users and other groups, by directory id.
public struct DirectoryGroup: Sendable, Hashable {
    public var id: String
    public var displayName: String
    public var mail: String
    /// Direct members: user and group ids, in order.
    public var members: [String]
}
