import Foundation

/// A Dataverse organization (environment) to add to the fake: its host and who may use it.
public struct FakeDataverseOrganization: Sendable {
    /// An application user: the Dataverse user bound to an Entra app registration.
    public struct ApplicationUser: Sendable, Equatable {
        /// The app registration's client id.
        public var clientID: String
        /// The application user's `systemuserid` (WhoAmI's `UserId`).
        public var userID: UUID
        /// Whether a security role is assigned; without one only WhoAmI works (`0x80042f09` otherwise).
        public var hasRole: Bool

        public init(clientID: String, userID: UUID = UUID(), hasRole: Bool = true) {
            self.clientID = clientID
            self.userID = userID
            self.hasRole = hasRole
        }
    }

    /// `contoso.crm4.dynamics.com` (an `api.` label after the first one is accepted as the same organization).
    public var host: String
    public var organizationID: UUID
    public var businessUnitID: UUID
    /// The customization prefix of the solution publisher: schema names must start with `{prefix}_`.
    public var publisherPrefix: String
    public var applicationUsers: [ApplicationUser]
    /// The `x-ms-dop-hint` header: the recommended degree of parallelism.
    public var parallelismHint: Int

    public init(
        host: String, organizationID: UUID = UUID(), businessUnitID: UUID = UUID(), publisherPrefix: String = "rapport",
        applicationUsers: [ApplicationUser] = [], parallelismHint: Int = 4
    ) {
        self.host = host
        self.organizationID = organizationID
        self.businessUnitID = businessUnitID
        self.publisherPrefix = publisherPrefix
        self.applicationUsers = applicationUsers
        self.parallelismHint = parallelismHint
    }

    /// The organization's key in the fake: lowercased, with an `api.` second label removed.
    static func canonicalHost(_ host: String) -> String {
        var labels = host.lowercased().split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        if labels.count > 2, labels[1] == "api" { labels.remove(at: 1) }
        return labels.joined(separator: ".")
    }
}
