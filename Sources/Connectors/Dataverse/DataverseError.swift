import Foundation
import Ingest

/// A Dataverse failure: what the admin should know, with Dataverse's own status, code and message.
///
/// Dataverse answers `{"error": {"code": "0x80044331", "message": "…"}}`; the code is
/// often empty (404, 412), so failures are classified by HTTP status first
/// (learn.microsoft.com/power-apps/developer/data-platform/webapi/compose-http-requests-handle-errors).
public struct DataverseError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// The sign-in or the organization refused the app (401 twice, 403): the admin must act.
        case refused
        /// 429 or a transient fault (5xx, network) until the retry budget ran out: a later attempt may succeed.
        case unavailable
        /// Any other refusal of a request (400, 404, 412, …).
        case rejected
        /// A reply that is not what the Web API documents.
        case badResponse
        /// The organization's tables could not be made ready (a key's index failed, or did not activate in time).
        case provisioning
    }

    public var kind: Kind
    public var message: String
    public var status: Int?
    /// Dataverse's hexadecimal error code, e.g. `0x80072560`.
    public var code: String?

    public init(_ kind: Kind, _ message: String, status: Int? = nil, code: String? = nil) {
        self.kind = kind
        self.message = message
        self.status = status
        self.code = code
    }

    public var description: String { message }

    /// Whether a later attempt may succeed without anyone acting.
    public var isTransient: Bool { kind == .unavailable }

    /// The error a response carries, with advice for the codes an admin can fix.
    init(status: Int, body: [UInt8], request: String, clientID: String) {
        let error = (try? JSONParser.parse(body))?.objectValue?["error"]?.objectValue
        let code = error?["code"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        let said = error?["message"]?.stringValue ?? ""
        let kind: Kind = status == 401 || status == 403 ? .refused : (status == 429 || status >= 500 ? .unavailable : .rejected)
        var message = "Dataverse answered HTTP \(status)\(code.map { " (\($0))" } ?? "") to \(request)"
        if !said.isEmpty { message += ": \(said)" }
        if let advice = Self.advice(code: code, status: status, clientID: clientID) { message += " — \(advice)" }
        self.init(kind, message, status: status, code: code)
    }

    /// What the admin does about the errors that need one.
    static func advice(code: String?, status: Int, clientID: String) -> String? {
        switch code?.lowercased() {
        case "0x80072560":
            return "the app \(clientID) is not an application user of this organization: in the Power Platform admin center open the environment, Settings → Users + permissions → Application users, add the app and give it a security role that may create tables and write their rows (for example System Customizer)"
        case "0x80042f09":
            return "the application user of app \(clientID) has no security role: give it one that may create tables and write their rows (for example System Customizer)"
        case "0x80048306", "0x80040220":
            return "the application user's security role lacks a privilege Rapport needs (create tables and columns, write and delete rows of Rapport's tables)"
        case "0x80044366":
            return "the organization refused Rapport's customization prefix; create a publisher with the prefix configured in dataverse.publisher.prefix"
        default:
            return status == 401 ? "the organization refused the app's token; check that the organization belongs to the tenant's Entra directory" : nil
        }
    }
}
