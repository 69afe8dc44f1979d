import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Platform
import Synchronization

/// Sends Web API requests to one Dataverse organization under its service protection limits.
///
/// * At most `maximumConcurrency` requests are in flight (Dataverse refuses a 53rd at once).
/// * 429 waits what `Retry-After` says (the request-count and execution-time
///   windows answer so); a request waiting holds no permit. At most
///   `maximumThrottledWaits` such waits per request.
/// * 5xx answers, network errors and timeouts back off exponentially with full jitter, `maximumRetries` times.
/// * A 401 refreshes the token once and repeats the request.
/// Every other answer goes back to the caller, which decides what its status means
/// (learn.microsoft.com/power-apps/developer/data-platform/api-limits).
public struct DataverseClient: Sendable {
    public let organization: DataverseOrganizationURL
    let http: HTTPClient
    let tokens: GraphTokenProvider
    let settings: DataverseSettings
    let permits: AsyncSemaphore
    let statistics: DataverseStatistics
    let clientID: String
    let logger: Logger

    init(
        organization: DataverseOrganizationURL, http: HTTPClient, tokens: GraphTokenProvider, settings: DataverseSettings, clientID: String,
        statistics: DataverseStatistics, logger: Logger
    ) {
        self.organization = organization
        self.http = http
        self.tokens = tokens
        self.settings = settings
        self.permits = AsyncSemaphore(permits: max(1, min(52, settings.maximumConcurrency)))
        self.statistics = statistics
        self.clientID = clientID
        self.logger = logger
    }

    /// The Web API base: `https://{host}/api/data/v9.2`, or its override.
    public var apiBase: String { settings.apiBase(for: organization) }

    /// A response: status, headers and body.
    public struct Response: Sendable {
        public var status: Int
        public var headers: HTTPHeaders
        public var body: [UInt8]

        public var isSuccess: Bool { (200..<300).contains(status) }
    }

    /// Sends `method path` (relative to the Web API base) and returns the answer that is neither throttling nor a transient fault.
    public func send(
        _ method: HTTPMethod, _ path: String, body: [UInt8]? = nil, contentType: String = "application/json; charset=utf-8",
        headers extra: [(String, String)] = []
    ) async throws -> Response {
        let url = "\(apiBase)/\(path)"
        let backoff = Backoff(base: settings.backoffBase, cap: settings.backoffCap)
        var attempt = 0
        var throttledWaits = 0
        var refreshed = false
        while true {
            try Task.checkCancellation()
            let token: String
            do {
                token = try await tokens.token()
            } catch let error as GraphError {
                throw DataverseError(error.code == .credentialsRejected ? .refused : .unavailable, error.message, status: error.status, code: error.graphCode)
            }
            var request = HTTPClientRequest(url: url)
            request.method = method
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            request.headers.add(name: "Accept", value: "application/json")
            request.headers.add(name: "OData-MaxVersion", value: "4.0")
            request.headers.add(name: "OData-Version", value: "4.0")
            for (name, value) in extra { request.headers.add(name: name, value: value) }
            if let body {
                request.headers.add(name: "Content-Type", value: contentType)
                request.body = .bytes(ByteBuffer(bytes: body))
            }
            let answer: Response?
            let failure: String?
            do {
                answer = try await permits.withPermit {
                    statistics.add { $0.requests += 1 }
                    let response = try await http.execute(request, timeout: settings.requestTimeout.timeAmount)
                    let bytes = try await response.body.collect(upTo: 256 << 20)
                    return Response(status: Int(response.status.code), headers: response.headers, body: Array(bytes.readableBytesView))
                }
                failure = nil
            } catch let error where !(error is CancellationError) {
                answer = nil
                failure = "\(error)"
            }
            guard let answer else {
                guard attempt < settings.maximumRetries else {
                    throw DataverseError(.unavailable, "Dataverse (\(organization.host)) could not be reached after \(attempt + 1) attempts: \(failure ?? "")")
                }
                statistics.add { $0.transientRetries += 1 }
                try await Task.sleep(for: backoff.delay(attempt: attempt))
                attempt += 1
                continue
            }
            switch answer.status {
            case 401 where !refreshed:
                refreshed = true
                await tokens.invalidate(token)
                continue
            case 429:
                guard throttledWaits < settings.maximumThrottledWaits else {
                    throw DataverseError(status: 429, body: answer.body, request: "\(method.rawValue) \(Self.described(path))", clientID: clientID)
                }
                let wait = backoff.retryAfter(answer.headers.first(name: "Retry-After")) ?? backoff.delay(attempt: throttledWaits)
                statistics.add {
                    $0.throttledWaits += 1
                    $0.throttledMilliseconds += Int(wait.seconds * 1000)
                }
                logger.debug("dataverse throttled", metadata: ["wait": "\(wait)", "path": "\(Self.described(path))"])
                try await Task.sleep(for: wait)
                throttledWaits += 1
            case 500, 502, 503, 504, 408:
                guard attempt < settings.maximumRetries else { return answer }
                statistics.add { $0.transientRetries += 1 }
                try await Task.sleep(for: backoff.retryAfter(answer.headers.first(name: "Retry-After")) ?? backoff.delay(attempt: attempt))
                attempt += 1
            default:
                return answer
            }
        }
    }

    /// Sends a request and requires a 2xx answer; anything else throws Dataverse's error.
    @discardableResult
    public func require(
        _ method: HTTPMethod, _ path: String, body: [UInt8]? = nil, contentType: String = "application/json; charset=utf-8",
        headers: [(String, String)] = []
    ) async throws -> Response {
        let response = try await send(method, path, body: body, contentType: contentType, headers: headers)
        guard response.isSuccess else { throw error(response, method, path) }
        return response
    }

    /// The error of a failed answer, naming the request.
    func error(_ response: Response, _ method: HTTPMethod, _ path: String) -> DataverseError {
        DataverseError(status: response.status, body: response.body, request: "\(method.rawValue) \(Self.described(path))", clientID: clientID)
    }

    /// The path without its query, short enough for a message.
    static func described(_ path: String) -> String {
        let bare = path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? path
        return bare.count > 120 ? String(bare.prefix(117)) + "…" : bare
    }
}

/// What one export asked of Dataverse, shared by its concurrent requests.
public final class DataverseStatistics: Sendable {
    public struct Figures: Sendable, Equatable {
        public var requests = 0
        public var throttledWaits = 0
        public var throttledMilliseconds = 0
        public var transientRetries = 0
    }

    private let figures = Mutex(Figures())

    public init() {}

    public var current: Figures { figures.withLock { $0 } }

    func add(_ change: (inout Figures) -> Void) {
        figures.withLock { change(&$0) }
    }
}
