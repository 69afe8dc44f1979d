/// A business account from a CRM export, with its normalized web domains.
public struct BusinessAccount: Sendable, Hashable {
    public var id: String
    public var name: String
    /// Normalized domains (`contoso.com`), in the order given, without duplicates.
    public var domains: [String]

    public init(id: String, name: String, domains: [String]) {
        self.id = id
        self.name = name
        self.domains = domains
    }
}
