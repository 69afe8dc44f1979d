import FakeServiceKit
import Foundation

/// The identity platform's token endpoint for the client credentials grant
/// (learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow).
extension FakeDataverseStore.State {
    mutating func token(tenant: String, request: FakeDataverseRequest) -> FakeDataverseResponse {
        counters.tokenRequests += 1
        let response = issueToken(tenant: tenant, request: request)
        if response.status != 200 { counters.tokenRefusals += 1 }
        return response
    }

    private mutating func issueToken(tenant: String, request: FakeDataverseRequest) -> FakeDataverseResponse {
        var form = FormDecoding.decode(String(decoding: request.body, as: UTF8.self), plusIsSpace: true)
        // RFC 6749 §2.3.1: the client may authenticate with HTTP Basic instead of the body.
        if let basic = request.header("Authorization"), basic.lowercased().hasPrefix("basic "),
            let decoded = Data(base64Encoded: String(basic.dropFirst(6))).map({ String(decoding: $0, as: UTF8.self) }),
            let colon = decoded.firstIndex(of: ":")
        {
            form["client_id"] = String(decoded[..<colon]).removingPercentEncoding
            form["client_secret"] = String(decoded[decoded.index(after: colon)...]).removingPercentEncoding
        }
        let tenants = ([app.tenantID] + app.tenantDomains).map { $0.lowercased() }
        guard tenants.contains(tenant.lowercased()) else {
            return .oauthError(
                400, "invalid_request", 90002,
                "Tenant '\(tenant)' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.")
        }
        for parameter in ["grant_type", "client_id", "scope"] where (form[parameter] ?? "").isEmpty {
            return .oauthError(400, "invalid_request", 900144, "The request body must contain the following parameter: '\(parameter)'.")
        }
        guard form["grant_type"] == "client_credentials" else {
            return .oauthError(400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type '\(form["grant_type"] ?? "")'.")
        }
        let clientID = form["client_id"] ?? ""
        guard clientID.lowercased() == app.clientID.lowercased() else {
            return .oauthError(
                400, "unauthorized_client", 700016,
                "Application with identifier '\(clientID)' was not found in the directory '\(tenant)'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant."
            )
        }
        guard let secret = form["client_secret"], !secret.isEmpty else {
            return .oauthError(
                401, "invalid_client", 7000216, "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.")
        }
        guard secret == app.clientSecret else {
            return .oauthError(
                401, "invalid_client", 7000215,
                "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '\(app.clientID)'."
            )
        }
        let scope = form["scope"] ?? ""
        guard !scope.contains(" ") else {
            return .oauthError(400, "invalid_scope", 70011, "The provided request must include a 'scope' input parameter. All scopes included must be for a single resource.")
        }
        guard scope.hasSuffix("/.default") else {
            return .oauthError(
                400, "invalid_scope", 1002012,
                "The provided value for scope \(scope) is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI)."
            )
        }
        // `https://{host}/.default`, or `https://{host}//.default` as Microsoft's sample builds it.
        var resource = String(scope.dropLast("/.default".count))
        if resource.hasSuffix("/") { resource.removeLast() }
        let host = resource.lowercased().hasPrefix("https://") ? FakeDataverseOrganization.canonicalHost(String(resource.dropFirst(8))) : ""
        guard !host.isEmpty, !host.contains("/"), organizations[host] != nil else {
            return .oauthError(
                400, "invalid_resource", 500011,
                "The resource principal named \(resource) was not found in the tenant named \(tenant). This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant."
            )
        }
        issued += 1
        let value = "fdv.\(issued).\(random.next() % 1_000_000_007)"
        tokens[value] = FakeDataverseStore.IssuedToken(
            audience: "https://\(host)", clientID: clientID.lowercased(), expiry: clock().addingTimeInterval(TimeInterval(faults.tokenLifetime)))
        let lifetime = JSONBytes.int(faults.tokenLifetime)
        return FakeDataverseResponse(
            status: 200, headers: [("Content-Type", "application/json; charset=utf-8")],
            body: JSONBytes.object([
                ("token_type", JSONBytes.string("Bearer")), ("expires_in", lifetime), ("ext_expires_in", lifetime),
                ("access_token", JSONBytes.string(value)),
            ]))
    }
}
