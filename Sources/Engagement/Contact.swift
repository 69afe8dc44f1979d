/// A contact of a business account from a CRM export.
public struct Contact: Sendable, Hashable {
    public var id: String
    public var accountID: String
    /// Lowercase email addresses by the header name of the column they came from
    /// (as written in the file); empty cells are absent.
    public var emailsByColumn: [String: String]

    public init(id: String, accountID: String, emailsByColumn: [String: String]) {
        self.id = id
        self.accountID = accountID
        self.emailsByColumn = emailsByColumn
    }
}
