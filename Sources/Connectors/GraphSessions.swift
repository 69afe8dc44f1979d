import AsyncHTTPClient
import Foundation
import Logging
import Platform

/// One token provider per tenant and resource (Microsoft Graph, each Dataverse organization), kept across a
/// run's steps until the registration changes.
actor GraphSessions {
    private struct Key: Hashable {
        var tenant: UUID
        var resource: TokenResource
    }

    private var providers: [Key: (credentials: GraphCredentials, provider: GraphTokenProvider)] = [:]

    func tokens(
        for credentials: GraphCredentials, settings: GraphSettings, resource: TokenResource = .graph, http: HTTPClient,
        now: @escaping @Sendable () -> Date, logger: Logger
    ) -> GraphTokenProvider {
        let key = Key(tenant: credentials.registration.tenantID, resource: resource)
        if let known = providers[key], known.credentials.registration == credentials.registration,
            known.credentials.clientSecret == credentials.clientSecret
        {
            return known.provider
        }
        let provider = GraphTokenProvider(credentials: credentials, settings: settings, resource: resource, http: http, now: now, logger: logger)
        providers[key] = (credentials, provider)
        return provider
    }
}
