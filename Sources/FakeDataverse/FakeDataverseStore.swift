import FakeServiceKit
import Foundation
import Ingest
import Synchronization

/// The fake Dataverse: an Entra token endpoint for one app registration and any number of organizations,
/// served with the Web API's shapes, limits and quirks as Microsoft documents them.
///
/// Thread-safe; the HTTP server (`FakeDataverseServer`) only carries requests to `handle`.
public final class FakeDataverseStore: Sendable {
    struct IssuedToken {
        /// `https://{host}` of the organization the token is for (its canonical host).
        var audience: String
        var clientID: String
        var expiry: Date
    }

    struct State {
        var app: FakeDataverseApp
        var organizations: [String: OrganizationState] = [:]
        var tokens: [String: IssuedToken] = [:]
        var issued = 0
        var faults = FakeDataverseFaults()
        var limits = FakeDataverseLimits()
        var settings = FakeDataverseSettings()
        var counters = FakeDataverseCounters()
        var random = SplitMix64(seed: 42)
        var protection = ServiceProtection()
        var inFlight = 0
        /// The fake's time: the limits' windows, `Retry-After` and token expiry (tests set a clock they move).
        var clock: @Sendable () -> Date = { Date() }
        /// While true, admitted requests wait in `held` until `releaseHeldRequests` (in flight, for the concurrency limit).
        var holding = false
        var held: [CheckedContinuation<Void, Never>] = []
        /// Write requests answered 2xx, kept while on (see `startJournal`).
        var journal: [FakeDataverseRequest]?
        /// Where returned URLs point, e.g. `http://127.0.0.1:9400`; set when the server starts.
        var baseURL = "http://127.0.0.1"
    }

    let state: Mutex<State>

    public init(app: FakeDataverseApp, organizations: [FakeDataverseOrganization] = []) {
        var state = State(app: app)
        for organization in organizations {
            state.organizations[FakeDataverseOrganization.canonicalHost(organization.host)] = OrganizationState(organization, settings: state.settings)
        }
        self.state = Mutex(state)
    }

    // MARK: - Switches and counters

    public var app: FakeDataverseApp { state.withLock { $0.app } }

    public var faults: FakeDataverseFaults {
        get { state.withLock { $0.faults } }
        set { state.withLock { $0.faults = newValue } }
    }

    /// Changes some faults at once.
    public func updateFaults(_ change: (inout FakeDataverseFaults) -> Void) {
        state.withLock { change(&$0.faults) }
    }

    public var limits: FakeDataverseLimits {
        get { state.withLock { $0.limits } }
        set { state.withLock { $0.limits = newValue } }
    }

    /// Changes some limits at once (the windows already counted stay).
    public func updateLimits(_ change: (inout FakeDataverseLimits) -> Void) {
        state.withLock { change(&$0.limits) }
    }

    /// Forgets every request counted against the service protection limits.
    public func resetLimitWindows() {
        state.withLock { $0.protection = ServiceProtection() }
    }

    public var settings: FakeDataverseSettings {
        get { state.withLock { $0.settings } }
        set { updateSettings { $0 = newValue } }
    }

    public func updateSettings(_ change: (inout FakeDataverseSettings) -> Void) {
        state.withLock { state in
            change(&state.settings)
            let caseInsensitive = state.settings.caseInsensitiveStrings
            for host in Array(state.organizations.keys) {
                for table in Array(state.organizations[host]!.rows.keys) where state.organizations[host]!.rows[table]!.caseInsensitive != caseInsensitive {
                    state.organizations[host]!.rows[table]!.caseInsensitive = caseInsensitive
                    state.organizations[host]!.rows[table]!.rebuildIndexes()
                }
            }
        }
    }

    public var counters: FakeDataverseCounters { state.withLock { $0.counters } }

    public func resetCounters() {
        state.withLock { $0.counters = FakeDataverseCounters() }
    }

    public var baseURL: String {
        get { state.withLock { $0.baseURL } }
        set { state.withLock { $0.baseURL = newValue } }
    }

    /// The clock the fake reads its time from (default: the system clock).
    public func setClock(_ clock: @escaping @Sendable () -> Date) {
        state.withLock { $0.clock = clock }
    }

    /// From now on, admitted organization requests stay in flight until `releaseHeldRequests()`;
    /// requests the limits refuse are still answered at once.
    public func holdRequests() {
        state.withLock { $0.holding = true }
    }

    /// Lets every held request (and later ones) through.
    public func releaseHeldRequests() {
        let waiting = state.withLock { state in
            state.holding = false
            defer { state.held.removeAll() }
            return state.held
        }
        for continuation in waiting { continuation.resume() }
    }

    /// Starts keeping every organization write (POST, PATCH, DELETE) answered 2xx, for replay (a benchmark's baseline).
    public func startJournal() {
        state.withLock { $0.journal = [] }
    }

    /// The writes kept since `startJournal`, in the order they were answered; stops keeping them.
    public func takeJournal() -> [FakeDataverseRequest] {
        state.withLock { state in
            defer { state.journal = nil }
            return state.journal ?? []
        }
    }

    /// Revokes every issued token: the next request with one gets 401.
    public func expireTokens() {
        state.withLock { $0.tokens.removeAll() }
    }

    // MARK: - Requests

    /// Answers one request, waiting out the configured latency.
    public func handle(_ request: FakeDataverseRequest) async -> FakeDataverseResponse {
        let trimmed = request.path.drop { $0 == "/" }
        let first = trimmed.prefix { $0 != "/" }
        let rest = trimmed.dropFirst(first.count).drop { $0 == "/" }
        let head = ODataPath.decode(String(first))
        if rest == "oauth2/v2.0/token" {
            guard request.method == "POST" else { return .oauthError(405, "invalid_request", 900561, "The endpoint only accepts POST requests.") }
            return state.withLock { $0.token(tenant: head, request: request) }
        }
        guard rest.hasPrefix("api/data/") else {
            return .error(DataverseError(status: 404, code: "", message: "No such path: \(request.path)"))
        }
        let afterData = rest.dropFirst("api/data/".count)
        let version = String(afterData.prefix { $0 != "/" })
        guard ["v9.0", "v9.1", "v9.2"].contains(version) else {
            return .error(DataverseError(status: 404, code: "", message: "The Web API version '\(version)' is not served."))
        }
        let resource = afterData.dropFirst(version.count)
        let segments = ODataPath.segments(resource)
        let operation = Operation(
            method: request.method.uppercased(), segments: segments, query: request.parameters,
            headers: request.headers, body: Operation.prepare(segments: segments, headers: request.headers, body: request.body))
        let (response, latency, admitted) = state.withLock { $0.serve(host: head, version: version, operation: operation) }
        if admitted != nil, state.withLock({ $0.holding }) {
            await withCheckedContinuation { continuation in
                let wait = state.withLock { state in
                    if state.holding { state.held.append(continuation) }
                    return state.holding
                }
                if !wait { continuation.resume() }
            }
        }
        if latency > .zero { try? await Task.sleep(for: latency) }
        state.withLock { state in
            state.inFlight -= 1
            if let admitted { state.protection.leave(admitted) }
            if state.journal != nil, (200..<300).contains(response.status), ["POST", "PATCH", "DELETE"].contains(operation.method) {
                state.journal!.append(request)
            }
        }
        return response
    }
}
