/// Which way an email or meeting went between the organization and an account.
public enum Direction: String, Sendable, Codable, CaseIterable {
    /// From a selected address to the account (we wrote, we invited).
    case toAccount = "to_account"
    /// From the account to a selected address (they wrote, they invited).
    case fromAccount = "from_account"
}
