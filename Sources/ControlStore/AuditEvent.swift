import Foundation

/// One change: who made it, with which key, what and when.
public struct AuditEvent: Sendable, Codable, Equatable {
    public var id: Int
    public var at: Date
    public var actorPrincipalID: UUID?
    public var actorOperatorID: UUID?
    public var keyID: UUID?
    public var action: String
    public var target: String
    public var details: [String: String]
}
