/// The Entra app registration the token endpoint knows (one per fake).
public struct FakeDataverseApp: Sendable, Equatable {
    /// The directory (tenant) id.
    public var tenantID: String
    /// Other names the tenant answers to in the token URL (e.g. `contoso.onmicrosoft.com`).
    public var tenantDomains: [String]
    public var clientID: String
    public var clientSecret: String

    public init(tenantID: String, tenantDomains: [String] = [], clientID: String, clientSecret: String) {
        self.tenantID = tenantID
        self.tenantDomains = tenantDomains
        self.clientID = clientID
        self.clientSecret = clientSecret
    }
}
