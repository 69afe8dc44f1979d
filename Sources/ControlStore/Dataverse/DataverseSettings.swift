import Foundation
import Engagement

/// The service-wide settings of the Dataverse export (`dataverse.*` in the configuration).
///
/// An organization is reached at `https://{host}/api/data/v9.2` with a token from
/// the tenant's cloud's login host, unless `loginURL` / `apiURL` override them for
/// every tenant (a proxy, or the fake Dataverse server in tests and the demo).
public struct DataverseSettings: Sendable {
    /// `dataverse.login.url`: replaces `https://{cloud login host}` for Dataverse tokens.
    public var loginURL: String?
    /// `dataverse.api.url`, e.g. `http://127.0.0.1:9500`: organization `{host}` is reached at `{apiURL}/{host}/api/data/v9.2`.
    public var apiURL: String?
    /// `dataverse.max.concurrency`: requests in flight per organization (Dataverse refuses more than 52 at once).
    public var maximumConcurrency: Int
    /// `dataverse.batch.size`: records per `UpsertMultiple` and operations per `$batch` (Microsoft suggests 100 to 1,000).
    public var batchSize: Int
    /// `dataverse.max.retries`: attempts after the first for one request after a transient fault.
    public var maximumRetries: Int
    /// How many 429 answers one request may wait out (each waits its `Retry-After`) before the export gives up.
    public var maximumThrottledWaits: Int
    /// First backoff for transient faults without Retry-After; doubles per attempt, with full jitter.
    public var backoffBase: Duration
    /// Longest single wait, whatever Retry-After asks (Dataverse asks for up to five minutes).
    public var backoffCap: Duration
    /// `dataverse.timeout.seconds`: one request's deadline (a batch of 1,000 records can take a while).
    public var requestTimeout: Duration
    /// `dataverse.key.wait.seconds`: how long provisioning waits for an alternate key's index to become active.
    public var keyActivationTimeout: Duration
    /// The customization prefix of Rapport's tables and columns (the publisher's prefix in the organization).
    public var publisherPrefix: String

    public init(
        loginURL: String? = nil, apiURL: String? = nil, maximumConcurrency: Int = 8, batchSize: Int = 500, maximumRetries: Int = 6,
        maximumThrottledWaits: Int = 50, backoffBase: Duration = .milliseconds(500), backoffCap: Duration = .seconds(300),
        requestTimeout: Duration = .seconds(120), keyActivationTimeout: Duration = .seconds(600), publisherPrefix: String = "rapport"
    ) {
        self.loginURL = loginURL
        self.apiURL = apiURL
        self.maximumConcurrency = maximumConcurrency
        self.batchSize = batchSize
        self.maximumRetries = maximumRetries
        self.maximumThrottledWaits = maximumThrottledWaits
        self.backoffBase = backoffBase
        self.backoffCap = backoffCap
        self.requestTimeout = requestTimeout
        self.keyActivationTimeout = keyActivationTimeout
        self.publisherPrefix = publisherPrefix
    }

    /// The login base URL for `cloud`, without a trailing slash.
    public func loginBase(for cloud: GraphCloud) -> String {
        Self.trimmed(loginURL) ?? "https://\(cloud.loginHost)"
    }

    /// The Web API base of `organization`, without a trailing slash.
    public func apiBase(for organization: DataverseOrganizationURL) -> String {
        guard let override = Self.trimmed(apiURL) else { return organization.apiBase }
        return "\(override)/\(organization.host)/api/data/v9.2"
    }

    private static func trimmed(_ url: String?) -> String? {
        guard var url = url?.trimmingCharacters(in: .whitespaces), !url.isEmpty else { return nil }
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }
}
