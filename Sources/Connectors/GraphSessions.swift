import AsyncHTTPClient
import Foundation
import Logging
import Platform

/// One token provider per tenant, kept across a run's steps until the registration changes.
actor GraphSessions {
    private var providers: [UUID: (credentials: GraphCredentials, provider: GraphTokenProvider)] = [:]

    func tokens(
        for credentials: GraphCredentials, settings: GraphSettings, http: HTTPClient, now: @escaping @Sendable () -> Date, logger: Logger
    ) -> GraphTokenProvider {
        let tenant = credentials.registration.tenantID
        if let known = providers[tenant], known.credentials.registration == credentials.registration,
            known.credentials.clientSecret == credentials.clientSecret
        {
            return known.provider
        }
        let provider = GraphTokenProvider(credentials: credentials, settings: settings, http: http, now: now, logger: logger)
        providers[tenant] = (credentials, provider)
        return provider
    }
}
