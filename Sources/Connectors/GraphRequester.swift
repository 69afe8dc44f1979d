import AsyncHTTPClient
import Foundation
import Ingest
import Logging
import NIOCore
import Platform

/// Sends Graph GET requests under the concurrency limits, with the token, retries and backoff.
///
/// * At most `mailboxConcurrency` requests per mailbox and `maximumConcurrency`
///   in all are in flight; a request waiting out a backoff holds no permit.
/// * 429, 503 and 504 wait what `Retry-After` says (else the backoff); other
///   5xx answers, network errors and timeouts back off exponentially with full
///   jitter. Both are bounded by `maximumRetries`.
/// * A 401 refreshes the token once and repeats the request; a second 401 fails.
/// * 403, 404, 410 and other refusals fail at once with their Graph error code.
public struct GraphRequester: Sendable {
    let http: HTTPClient
    let tokens: GraphTokenProvider
    let settings: GraphSettings
    let global: AsyncSemaphore
    let statistics: GraphStatistics
    let logger: Logger

    public init(
        http: HTTPClient, tokens: GraphTokenProvider, settings: GraphSettings, global: AsyncSemaphore, statistics: GraphStatistics,
        logger: Logger
    ) {
        self.http = http
        self.tokens = tokens
        self.settings = settings
        self.global = global
        self.statistics = statistics
        self.logger = logger
    }

    /// The same requester, counting into `statistics` (a folder's, whose parent is the collection's).
    func counting(into statistics: GraphStatistics) -> GraphRequester {
        GraphRequester(http: http, tokens: tokens, settings: settings, global: global, statistics: statistics, logger: logger)
    }

    /// GETs `url` and returns the body of its 200 answer.
    public func get(_ url: String, mailbox: AsyncSemaphore? = nil, prefer: [String] = []) async throws -> [UInt8] {
        let backoff = Backoff(base: settings.backoffBase, cap: settings.backoffCap)
        var attempt = 0
        var refreshed = false
        while true {
            try Task.checkCancellation()
            let token = try await tokens.token(statistics: statistics)
            let outcome: Outcome
            if let mailbox {
                outcome = try await mailbox.withPermit { try await global.withPermit { try await send(url, token: token, prefer: prefer) } }
            } else {
                outcome = try await global.withPermit { try await send(url, token: token, prefer: prefer) }
            }
            switch outcome {
            case .body(let body):
                return body
            case .failed(let status, let body, let retryAfter, let requestIDs):
                if status == 401 && !refreshed {
                    refreshed = true
                    statistics.add { $0.tokenRefreshes += 1 }
                    await tokens.invalidate(token)
                    continue
                }
                let throttled = status == 429 || status == 503 || status == 504
                let transient = throttled || status == 500 || status == 502 || status == 408
                guard transient, attempt < settings.maximumRetries else {
                    throw Self.error(status: status, body: body, url: url, attempts: attempt + 1, requestIDs: requestIDs)
                }
                let wait = throttled ? (backoff.retryAfter(retryAfter) ?? backoff.delay(attempt: attempt)) : backoff.delay(attempt: attempt)
                statistics.add { throttled ? ($0.throttled += 1) : ($0.transientRetries += 1) }
                logger.debug("graph request retried", metadata: ["status": "\(status)", "attempt": "\(attempt + 1)", "wait": "\(wait)"])
                try await Task.sleep(for: wait)
                attempt += 1
            case .unreachable(let description):
                guard attempt < settings.maximumRetries else {
                    throw GraphError(.transient, "Microsoft Graph could not be reached after \(attempt + 1) attempts: \(description)")
                }
                statistics.add { $0.transientRetries += 1 }
                try await Task.sleep(for: backoff.delay(attempt: attempt))
                attempt += 1
            }
        }
    }

    enum Outcome: Sendable {
        case body([UInt8])
        case failed(status: Int, body: [UInt8], retryAfter: String?, requestIDs: String)
        case unreachable(String)
    }

    private func send(_ url: String, token: String, prefer: [String]) async throws -> Outcome {
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        // A new GUID per request, as Microsoft asks: support finds a failed request by it (and by Graph's request-id).
        let clientRequestID = UUID().uuidString.lowercased()
        request.headers.add(name: "client-request-id", value: clientRequestID)
        request.headers.add(name: "return-client-request-id", value: "true")
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Accept", value: "application/json")
        for value in prefer { request.headers.add(name: "Prefer", value: value) }
        statistics.add { $0.requests += 1 }
        do {
            let response = try await http.execute(request, timeout: settings.requestTimeout.timeAmount)
            let body = Array(try await response.body.collect(upTo: 256 << 20).readableBytesView)
            let status = Int(response.status.code)
            if status == 200 { return .body(body) }
            let ids = "client-request-id \(clientRequestID)" + (response.headers.first(name: "request-id").map { ", request-id \($0)" } ?? "")
            return .failed(status: status, body: body, retryAfter: response.headers.first(name: "Retry-After"), requestIDs: ids)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            if Task.isCancelled { throw CancellationError() }
            return .unreachable("\(error)")
        }
    }

    /// The error codes that mean "this delta state is gone; sync the folder from scratch", compared without case.
    ///
    /// Microsoft documents "a 40X-series error … such as `syncStateNotFound`" and 410 Gone for Outlook
    /// delta (learn.microsoft.com/graph/delta-query-messages); `resyncRequired` for other resources;
    /// `SyncStateInvalid` is seen on the wire.
    static let resyncCodes: Set<String> = ["syncstatenotfound", "syncstateinvalid", "resyncrequired"]

    /// Graph's error, with its code and message (`{"error": {"code", "message"}}`) and the ids support asks for.
    static func error(status: Int, body: [UInt8], url: String, attempts: Int, requestIDs: String = "") -> GraphError {
        let error = (try? JSONParser.parse(body))?.objectValue?["error"]?.objectValue
        let code = error?["code"]?.stringValue
        let message = error?["message"]?.stringValue.map { String($0.prefix(500)) } ?? "HTTP \(status)"
        let resource = GraphURL.path(of: url) + (requestIDs.isEmpty ? "" : " [\(requestIDs)]")
        if (400..<500).contains(status), let code, resyncCodes.contains(code.lowercased()) {
            return GraphError(.syncStateGone, "the delta state of \(resource) expired (\(code), HTTP \(status))", status: status, graphCode: code)
        }
        if status == 403, code?.lowercased() == "errorquotaexceeded" {
            return GraphError(.quotaExceeded, "the mailbox is full (ErrorQuotaExceeded) on \(resource): \(message)", status: status, graphCode: code)
        }
        switch status {
        case 401:
            return GraphError(.tokenRejected, "Microsoft Graph refused a freshly issued token for \(resource): \(message)", status: status, graphCode: code)
        case 403:
            return GraphError(.forbidden, "access to \(resource) was refused (\(code ?? "403")): \(message)", status: status, graphCode: code)
        case 404:
            return GraphError(.notFound, "\(resource) was not found (\(code ?? "404")): \(message)", status: status, graphCode: code)
        case 410:
            return GraphError(.syncStateGone, "the delta state of \(resource) expired (\(code ?? "410"))", status: status, graphCode: code)
        case 429, 503, 504:
            return GraphError(.throttled, "Microsoft Graph kept throttling \(resource) (HTTP \(status), \(attempts) attempts)", status: status, graphCode: code)
        case 500...:
            return GraphError(.transient, "Microsoft Graph failed on \(resource) (HTTP \(status), \(attempts) attempts): \(message)", status: status, graphCode: code)
        default:
            return GraphError(.http, "Microsoft Graph refused \(resource) (HTTP \(status), \(code ?? "")): \(message)", status: status, graphCode: code)
        }
    }
}

extension GraphURL {
    /// The path of a URL without its query (delta and skip tokens stay out of messages and logs).
    static func path(of url: String) -> String {
        let withoutQuery = url.split(separator: "?", maxSplits: 1).first.map(String.init) ?? url
        guard let scheme = withoutQuery.range(of: "://") else { return withoutQuery }
        let rest = withoutQuery[scheme.upperBound...]
        return rest.firstIndex(of: "/").map { String(rest[$0...]) } ?? "/"
    }
}
