/// A directory group of the fake tenant; members are user or group ids.
public struct FakeGroup: Sendable, Codable, Equatable {
    public var id: String
    public var displayName: String
    public var mail: String?
    public var members: [String]

    public init(id: String, displayName: String, mail: String?, members: [String]) {
        self.id = id
        self.displayName = displayName
        self.mail = mail
        self.members = members
    }
}
