/// How the HTTP side behaves: cookies, proxies, timeouts. Every field is a setting (README, Configuration).
public struct HTTPOptions: Sendable {
    /// `http.secure.cookies`: always mark the session cookie Secure (the service is reached over TLS).
    public var secureCookies = false
    /// `http.trusted.proxies`: addresses of reverse proxies whose `X-Forwarded-Proto: https` is believed
    /// (the session cookie is then Secure for that request).
    public var trustedProxies: Set<String> = []
    /// `http.idle.timeout.seconds`: a connection with no request in progress, or one whose request
    /// headers have not all arrived, is closed after this long.
    public var idleTimeout: Duration = .seconds(30)
    /// `database.statement.timeout.api.seconds`: the longest statement of an API read or write.
    public var apiStatementTimeout: Duration = .seconds(15)
    /// `database.statement.timeout.pages.seconds`: the longest statement behind a page.
    public var pageStatementTimeout: Duration = .seconds(15)
    /// `database.statement.timeout.bulk.seconds`: the longest statement of an export or an activity or customer-data upload.
    public var bulkStatementTimeout: Duration = .seconds(600)

    public init() {}
}
