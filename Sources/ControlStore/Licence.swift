import Foundation

/// The tenant's Office 365 licence.
public struct Licence: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        case active
        case suspended
        case expired
    }

    public var status: Status
    public var seats: Int
    /// The last day the licence is valid (UTC).
    public var expiresOn: Date
    public var updatedAt: Date

    /// Active means status `active` and not past the expiry date at `moment`.
    public func isActive(at moment: Date) -> Bool {
        status == .active && moment < expiresOn.addingTimeInterval(86_400)
    }
}
