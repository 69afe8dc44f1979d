import Foundation

/// The service-wide settings of the Microsoft Graph connector (`graph.*` in the configuration).
///
/// The hosts come from each tenant's cloud unless `loginURL` / `apiURL`
/// override them for every tenant (a proxy, or the fake Graph server in tests).
public struct GraphSettings: Sendable {
    /// `graph.secret.key`: 32 bytes sealing client secrets; nil derives one from the service secret (HKDF-SHA256).
    public var secretKey: [UInt8]?
    /// `graph.login.url`, e.g. `http://127.0.0.1:9400`: replaces `https://{cloud login host}`.
    public var loginURL: String?
    /// `graph.api.url`, e.g. `http://127.0.0.1:9400/v1.0`: replaces `https://{cloud Graph host}/v1.0`.
    public var apiURL: String?
    /// `graph.max.concurrency`: requests in flight per worker process, across mailboxes.
    public var maximumConcurrency: Int
    /// Requests in flight per mailbox (Exchange Online allows 4).
    public var mailboxConcurrency: Int
    /// `graph.page.size`: the `odata.maxpagesize` preference.
    public var pageSize: Int
    /// `graph.max.retries`: attempts after the first for one request (throttling and transient faults).
    public var maximumRetries: Int
    /// First backoff for transient faults without Retry-After; doubles per attempt, with full jitter.
    public var backoffBase: Duration
    /// Longest single wait, whatever Retry-After asks.
    public var backoffCap: Duration
    /// `graph.timeout.seconds`: one request's deadline.
    public var requestTimeout: Duration
    /// How far ahead of the run the calendar range reaches (meetings scheduled ahead are kept and counted once they start).
    public var calendarHorizonDays: Int

    public init(
        secretKey: [UInt8]? = nil, loginURL: String? = nil, apiURL: String? = nil, maximumConcurrency: Int = 16,
        mailboxConcurrency: Int = 4, pageSize: Int = 100, maximumRetries: Int = 6, backoffBase: Duration = .milliseconds(500),
        backoffCap: Duration = .seconds(60), requestTimeout: Duration = .seconds(60), calendarHorizonDays: Int = 180
    ) {
        self.secretKey = secretKey
        self.loginURL = loginURL
        self.apiURL = apiURL
        self.maximumConcurrency = maximumConcurrency
        self.mailboxConcurrency = mailboxConcurrency
        self.pageSize = pageSize
        self.maximumRetries = maximumRetries
        self.backoffBase = backoffBase
        self.backoffCap = backoffCap
        self.requestTimeout = requestTimeout
        self.calendarHorizonDays = calendarHorizonDays
    }

    /// The login base URL for `cloud`, without a trailing slash.
    public func loginBase(for cloud: GraphCloud) -> String {
        Self.trimmed(loginURL) ?? "https://\(cloud.loginHost)"
    }

    /// The Graph base URL (with its version segment) for `cloud`, without a trailing slash.
    public func apiBase(for cloud: GraphCloud) -> String {
        Self.trimmed(apiURL) ?? "https://\(cloud.graphHost)/v1.0"
    }

    private static func trimmed(_ url: String?) -> String? {
        guard var url = url?.trimmingCharacters(in: .whitespaces), !url.isEmpty else { return nil }
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }
}
