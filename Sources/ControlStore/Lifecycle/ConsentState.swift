import Foundation

/// The tenant administrator's consent, as the API shows it.
public struct ConsentState: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable {
        /// Nothing asked yet.
        case none
        case requested
        case granted
        case refused
        case withdrawn
    }

    public var status: Status
    public var decidedAt: Date?
    /// Who decided: the Office 365 administrator's address (email link) or principal id (console).
    public var decidedBy: String?
    public var reason: String?
    public var updatedAt: Date?

    public var isGranted: Bool { status == .granted }
}
