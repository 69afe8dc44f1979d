import AsyncHTTPClient
import Foundation
import Ingest
import Logging
import NIOCore
import Platform

/// Application tokens for one tenant's app registration (OAuth 2.0 client-credentials flow), for one resource:
/// Microsoft Graph by default, or a Dataverse organization (`TokenResource.dataverse`).
///
/// A token is cached until shortly before it expires (five minutes, or a tenth
/// of its lifetime when that is shorter); concurrent callers share one request.
/// `invalidate` drops a token Graph refused, so the next call fetches a new one.
/// The secret and the tokens are never logged.
public actor GraphTokenProvider {
    let credentials: GraphCredentials
    let settings: GraphSettings
    let resource: TokenResource
    let http: HTTPClient
    let now: @Sendable () -> Date
    let logger: Logger
    private var cached: (token: String, refreshAt: Date)?
    private var inFlight: Task<(token: String, refreshAt: Date), any Error>?
    /// Counts requests to the token endpoint (for tests and statistics).
    public private(set) var requests = 0

    public init(
        credentials: GraphCredentials, settings: GraphSettings, resource: TokenResource = .graph, http: HTTPClient,
        now: @escaping @Sendable () -> Date, logger: Logger
    ) {
        self.credentials = credentials
        self.settings = settings
        self.resource = resource
        self.http = http
        self.now = now
        self.logger = logger
    }

    /// The token endpoint: `{login}/{tenant}/oauth2/v2.0/token`.
    public var endpoint: String {
        let registration = credentials.registration
        let login = resource.loginBase ?? settings.loginBase(for: registration.cloud)
        return "\(login)/\(GraphURL.encode(registration.entraTenantID))/oauth2/v2.0/token"
    }

    /// A valid token, from the cache or a new one.
    public func token(statistics: GraphStatistics? = nil) async throws -> String {
        if let cached, now() < cached.refreshAt { return cached.token }
        if let inFlight { return try await inFlight.value.token }
        let task = Task { try await self.fetch(statistics: statistics) }
        inFlight = task
        defer { inFlight = nil }
        let fresh = try await task.value
        cached = fresh
        return fresh.token
    }

    /// Forgets `token` if it is the cached one (Graph answered 401 with it).
    public func invalidate(_ token: String) {
        if cached?.token == token { cached = nil }
    }

    private func fetch(statistics: GraphStatistics?) async throws -> (token: String, refreshAt: Date) {
        let registration = credentials.registration
        let form = [
            ("client_id", registration.clientID), ("scope", resource.scope ?? registration.cloud.defaultScope),
            ("client_secret", credentials.clientSecret), ("grant_type", "client_credentials"),
        ].map { "\($0.0)=\(GraphURL.encode($0.1))" }.joined(separator: "&")
        let backoff = Backoff(base: settings.backoffBase, cap: settings.backoffCap)
        var attempt = 0
        while true {
            requests += 1
            statistics?.add { $0.tokenRequests += 1 }
            var request = HTTPClientRequest(url: endpoint)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.headers.add(name: "Accept", value: "application/json")
            request.body = .bytes(ByteBuffer(string: form))
            let status: Int
            let body: [UInt8]
            let retryAfter: String?
            do {
                let response = try await http.execute(request, timeout: settings.requestTimeout.timeAmount)
                status = Int(response.status.code)
                retryAfter = response.headers.first(name: "Retry-After")
                body = Array(try await response.body.collect(upTo: 1 << 20).readableBytesView)
            } catch let error where !(error is CancellationError) {
                guard attempt < settings.maximumRetries else {
                    throw GraphError(.transient, "the Microsoft identity platform (\(endpoint)) could not be reached: \(error)")
                }
                try await Task.sleep(for: backoff.delay(attempt: attempt))
                attempt += 1
                continue
            }
            if status == 200 {
                return try parseToken(body)
            }
            if status == 429 || status >= 500, attempt < settings.maximumRetries {
                try await Task.sleep(for: backoff.retryAfter(retryAfter) ?? backoff.delay(attempt: attempt))
                attempt += 1
                continue
            }
            throw Self.refusal(status: status, body: body, registration: registration, resource: resource)
        }
    }

    private func parseToken(_ body: [UInt8]) throws -> (token: String, refreshAt: Date) {
        guard let object = (try? JSONParser.parse(body))?.objectValue, let token = object["access_token"]?.stringValue, !token.isEmpty else {
            throw GraphError(.badResponse, "the token endpoint answered without an access_token")
        }
        var lifetime: Double = 3599
        if case .number(let seconds)? = object["expires_in"] {
            lifetime = seconds
        } else if let text = object["expires_in"]?.stringValue, let seconds = Double(text) {
            lifetime = seconds
        }
        let margin = min(300, lifetime / 10)
        return (token, now().addingTimeInterval(max(0, lifetime - margin)))
    }

    /// Turns the identity platform's refusal into an error that tells the admin what to fix.
    static func refusal(status: Int, body: [UInt8], registration: GraphRegistration, resource: TokenResource = .graph) -> GraphError {
        let object = (try? JSONParser.parse(body))?.objectValue
        let code = object?["error"]?.stringValue ?? "http_\(status)"
        let description = object?["error_description"]?.stringValue?.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        let aadsts = description.split(separator: ":").first.map(String.init) ?? ""
        let advice: String
        switch (code, aadsts) {
        case (_, "AADSTS90002"), (_, "AADSTS900023"):
            advice = "the Entra tenant \(registration.entraTenantID) does not exist; correct entra_tenant_id"
        case (_, "AADSTS700016"):
            advice = "no application with client id \(registration.clientID) exists in tenant \(registration.entraTenantID); correct client_id"
        case (_, "AADSTS7000215"), (_, "AADSTS7000222"):
            advice = "the client secret is wrong or has expired; create a new one in Entra and save it with PUT /v1/tenants/{tenant}/graph"
        case ("invalid_client", _):
            advice = "the app's client id or secret was refused; check both and save them with PUT /v1/tenants/{tenant}/graph"
        case ("unauthorized_client", _):
            advice = "the app may not use the client-credentials flow in this tenant (it is disabled, or not registered or consented there)"
        case (_, "AADSTS500011") where resource.scope != nil:
            advice = "the tenant \(registration.entraTenantID) has no resource \(resource.scope ?? ""); check the organization URL (it must belong to this Entra tenant)"
        case ("invalid_scope", _):
            advice = "the app cannot request \(resource.scope ?? registration.cloud.defaultScope); check the cloud setting"
        case ("invalid_request", _), ("invalid_grant", _):
            advice = "the sign-in request was refused; check entra_tenant_id, client_id and the cloud"
        default:
            advice = "sign-in failed with HTTP \(status)"
        }
        let said = description.isEmpty ? "" : " Microsoft says: \(description)"
        return GraphError(
            .credentialsRejected, "\(resource.name) sign-in failed (\(code)): \(advice).\(said)", status: status, graphCode: code)
    }
}

/// What a token is for: the scope asked for and, when overridden, the login host that issues it.
public struct TokenResource: Sendable, Hashable {
    /// Names the service in messages ("Microsoft Graph", "Dataverse").
    public var name: String
    /// `https://{resource}/.default`; nil: the cloud's Graph scope.
    public var scope: String?
    /// Replaces the cloud's login base (a proxy or a fake server); nil: the Graph settings decide.
    public var loginBase: String?

    public static let graph = TokenResource(name: "Microsoft Graph", scope: nil, loginBase: nil)

    /// A Dataverse organization: scope `https://{host}/.default`.
    public static func dataverse(_ organization: DataverseOrganizationURL, loginBase: String?) -> TokenResource {
        TokenResource(name: "Dataverse", scope: "\(organization.resource)/.default", loginBase: loginBase)
    }
}

extension Duration {
    /// The duration as a NIO `TimeAmount`.
    var timeAmount: TimeAmount { .nanoseconds(components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000) }
}
