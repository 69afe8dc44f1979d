import FakeServiceKit
import Foundation
import Synchronization

/// The fake Microsoft Graph: a tenant's directory and mailboxes, served with Graph's JSON shapes,
/// paging, delta links, `@removed`, a token endpoint, and faults switchable while it runs.
///
/// Thread-safe; the HTTP server (`FakeGraphServer`) only carries requests to `handle`.
public final class FakeGraphStore: Sendable {
    /// What the token endpoint accepts.
    public struct Credentials: Sendable, Equatable {
        public var tenantID: String
        public var clientID: String
        public var clientSecret: String

        public init(tenantID: String, clientID: String, clientSecret: String) {
            self.tenantID = tenantID
            self.clientID = clientID
            self.clientSecret = clientSecret
        }
    }

    /// What the fake serves and counts; requests and changes work on it under one lock.
    struct State {
        /// The model (empty messages and occurrences for a tenant loaded from files).
        var model: FakeTenant
        let credentials: Credentials
        var folders: [String: FakeFolderLog] = [:]
        var sequence = 1
        var tokens: [String: Date] = [:]
        var issued = 0
        var faults = FakeGraphFaults()
        var counters = FakeGraphCounters()
        var random = SplitMix64(seed: 42)
        var inFlight: [String: Int] = [:]
        var inFlightTotal = 0
        /// Where links point, e.g. `http://127.0.0.1:9400`; set when the server starts.
        var baseURL = "http://127.0.0.1"
        /// Default page size when a request states none (Graph's default for messages is 10).
        var defaultPageSize = 10
        /// Page size of directory listings (transitiveMembers, users).
        var directoryPageSize = 100
        /// Attendee copies show only their owner's response, as Exchange's do.
        var perCopyResponses = true
    }

    let state: Mutex<State>
    public let credentials: Credentials

    public init(tenant: FakeTenant, credentials: Credentials) {
        var state = State(model: tenant, credentials: credentials)
        state.render()
        self.state = Mutex(state)
        self.credentials = credentials
    }

    // MARK: - State

    public var tenant: FakeTenant { state.withLock { $0.model } }

    public var faults: FakeGraphFaults {
        get { state.withLock { $0.faults } }
        set { state.withLock { $0.faults = newValue } }
    }

    /// Changes some faults at once.
    public func updateFaults(_ change: (inout FakeGraphFaults) -> Void) {
        state.withLock { change(&$0.faults) }
    }

    public var counters: FakeGraphCounters { state.withLock { $0.counters } }

    public func resetCounters() {
        state.withLock { $0.counters = FakeGraphCounters() }
    }

    public var baseURL: String {
        get { state.withLock { $0.baseURL } }
        set { state.withLock { $0.baseURL = newValue } }
    }

    /// Default page size when a request states none (Graph's default for messages is 10).
    public var defaultPageSize: Int {
        get { state.withLock { $0.defaultPageSize } }
        set { state.withLock { $0.defaultPageSize = newValue } }
    }

    /// Page size of directory listings (transitiveMembers, users).
    public var directoryPageSize: Int {
        get { state.withLock { $0.directoryPageSize } }
        set { state.withLock { $0.directoryPageSize = newValue } }
    }

    /// Whether an attendee's copy of a meeting shows only its owner's response (true, as Exchange does) or
    /// every attendee's (the kinder fake of before); changing it renders every calendar again.
    public var perCopyResponses: Bool {
        get { state.withLock { $0.perCopyResponses } }
        set {
            state.withLock { state in
                state.perCopyResponses = newValue
                state.sequence += 1
                let mailboxes = state.model.mailboxesByAddress
                for occurrence in state.model.occurrences { state.place(occurrence, previous: nil, mailboxes: mailboxes) }
            }
        }
    }

    /// Revokes every issued token: the next request with one gets 401 (an expired token).
    public func expireTokens() {
        state.withLock { $0.tokens.removeAll() }
    }

    /// Items a folder serves now (not removed), e.g. `count(user: id, folder: "inbox")`.
    public func count(user: String, folder: String) -> Int {
        state.withLock { $0.folders["\(user)/\(folder)"]?.items.values.filter { $0.removedSeq == nil }.count ?? 0 }
    }

    /// Adds served items that were not generated (a tenant loaded from files).
    func load(folder key: String, items: [(String, FakeItem)]) {
        state.withLock { state in
            for (id, item) in items { state.folders[key, default: FakeFolderLog()].put(id, item, sequence: state.sequence) }
        }
    }

    // MARK: - Changes between runs

    /// A new message: copies land in the sender's Sent Items and the recipients' Inboxes.
    public func add(_ message: FakeMessage) {
        state.withLock { state in
            state.sequence += 1
            state.model.messages.append(message)
            state.place(message, mailboxes: state.model.mailboxesByAddress)
        }
    }

    /// A user deletes their copy of a message (the model keeps the message: it was sent).
    public func deleteCopy(of internetMessageID: String, user: String, folder: String) {
        state.withLock { state in
            guard let message = state.model.messages.first(where: { $0.internetMessageID == internetMessageID }),
                let owner = state.model.users.first(where: { $0.id == user })
            else { return }
            state.sequence += 1
            state.folders["\(user)/\(folder)"]?.remove(FakeTenant.itemID(message, user: owner, folder: folder), sequence: state.sequence)
        }
    }

    /// A new occurrence (a meeting booked).
    public func add(_ occurrence: FakeOccurrence) {
        state.withLock { state in
            state.sequence += 1
            state.model.occurrences.append(occurrence)
            state.place(occurrence, previous: nil, mailboxes: state.model.mailboxesByAddress)
        }
    }

    /// Changes one occurrence (cancel it, move it, change attendees), found by `FakeOccurrence.key`.
    public func update(occurrence key: String, _ change: (inout FakeOccurrence) -> Void) {
        state.withLock { state in
            guard let index = state.model.occurrences.firstIndex(where: { $0.key == key }) else { return }
            state.sequence += 1
            let previous = state.model.occurrences[index]
            change(&state.model.occurrences[index])
            state.place(state.model.occurrences[index], previous: previous, mailboxes: state.model.mailboxesByAddress)
        }
    }

    // MARK: - Requests

    /// Answers one request, waiting out the configured latency.
    public func handle(_ request: FakeRequest) async -> FakeResponse {
        let segments = request.path.split(separator: "/").map { String($0).removingPercentEncoding ?? String($0) }
        if request.method == "POST", segments.count == 4, segments[1] == "oauth2", segments[2] == "v2.0", segments[3] == "token" {
            return state.withLock { $0.token(tenant: segments[0], request: request) }
        }
        guard segments.first == "v1.0" else { return .error(404, "UnknownPath", "no such path") }
        let mailbox = segments.count >= 3 && segments[1] == "users" ? segments[2] : "-"
        let (response, latency) = state.withLock { state -> (FakeResponse, Duration) in
            state.inFlight[mailbox, default: 0] += 1
            state.inFlightTotal += 1
            if mailbox != "-" { state.counters.requestsByUser[mailbox, default: 0] += 1 }
            state.counters.maximumConcurrentPerMailbox = max(state.counters.maximumConcurrentPerMailbox, mailbox == "-" ? 0 : state.inFlight[mailbox]!)
            state.counters.maximumConcurrent = max(state.counters.maximumConcurrent, state.inFlightTotal)
            var response = state.api(Array(segments.dropFirst()), request: request)
            state.counters.statuses[response.status, default: 0] += 1
            // Graph echoes the caller's client-request-id and names its own request-id (what support asks for).
            let clientRequestID = request.header("client-request-id")
            if clientRequestID.flatMap(UUID.init(uuidString:)) == nil { state.counters.withoutClientRequestID += 1 }
            if let clientRequestID { response.headers.append(("client-request-id", clientRequestID)) }
            response.headers.append(("request-id", UUID().uuidString.lowercased()))
            return (response, state.faults.latency)
        }
        if latency > .zero { try? await Task.sleep(for: latency) }
        state.withLock { state in
            state.inFlight[mailbox, default: 1] -= 1
            state.inFlightTotal -= 1
        }
        return response
    }
}

extension FakeGraphStore.State {
    mutating func render() {
        let mailboxes = model.mailboxesByAddress
        for user in model.users where user.hasMailbox {
            for folder in ["inbox", "sentitems", "calendar"] { folders["\(user.id)/\(folder)"] = FakeFolderLog() }
        }
        for message in model.messages { place(message, mailboxes: mailboxes) }
        for occurrence in model.occurrences { place(occurrence, previous: nil, mailboxes: mailboxes) }
    }

    mutating func place(_ message: FakeMessage, mailboxes: [String: FakeUser]) {
        for copy in model.copies(of: message, mailboxes: mailboxes) {
            let item = FakeTenant.render(message, user: copy.user, folder: copy.folder)
            folders["\(copy.user.id)/\(copy.folder)", default: FakeFolderLog()]
                .put(FakeTenant.itemID(message, user: copy.user, folder: copy.folder), item, sequence: sequence)
        }
    }

    /// Puts an occurrence's copies in place; the calendars that held `previous` and no longer hold it get a removal.
    mutating func place(_ occurrence: FakeOccurrence, previous: FakeOccurrence?, mailboxes: [String: FakeUser]) {
        let copies = model.copies(of: occurrence, mailboxes: mailboxes)
        if let previous {
            let kept = Set(copies.map(\.user.id))
            for old in model.copies(of: previous, mailboxes: mailboxes) where !kept.contains(old.user.id) {
                folders["\(old.user.id)/calendar"]?.remove(FakeTenant.itemID(previous, user: old.user), sequence: sequence)
            }
        }
        for copy in copies {
            folders["\(copy.user.id)/calendar", default: FakeFolderLog()]
                .put(
                    FakeTenant.itemID(occurrence, user: copy.user),
                    FakeTenant.render(occurrence, user: copy.user, organized: copy.organized, perCopy: perCopyResponses), sequence: sequence)
        }
    }

    mutating func token(tenant: String, request: FakeRequest) -> FakeResponse {
        counters.tokenRequests += 1
        let form = FormDecoding.decode(String(decoding: request.body, as: UTF8.self), plusIsSpace: true)
        guard tenant.lowercased() == credentials.tenantID.lowercased() else {
            return .oauthError(400, "invalid_request", 90002, "Tenant '\(tenant)' not found.")
        }
        guard form["grant_type"] == "client_credentials" else {
            return .oauthError(400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type.")
        }
        guard form["client_id"]?.lowercased() == credentials.clientID.lowercased() else {
            return .oauthError(400, "unauthorized_client", 700016, "Application with identifier '\(form["client_id"] ?? "")' was not found in the directory.")
        }
        guard form["client_secret"] == credentials.clientSecret else {
            return .oauthError(401, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.")
        }
        guard form["scope"]?.hasSuffix("/.default") == true else {
            return .oauthError(400, "invalid_scope", 1002012, "The provided value for scope is not valid.")
        }
        issued += 1
        let value = "fake.\(issued).\(random.next() % 1_000_000_007)"
        tokens[value] = Date().addingTimeInterval(TimeInterval(faults.tokenLifetime))
        return .json(JSONBytes.object([
            ("token_type", JSONBytes.string("Bearer")), ("expires_in", JSONBytes.int(faults.tokenLifetime)),
            ("ext_expires_in", JSONBytes.int(faults.tokenLifetime)), ("access_token", JSONBytes.string(value)),
        ]))
    }

    mutating func api(_ path: [String], request: FakeRequest) -> FakeResponse {
        counters.requests += 1
        let bearer = request.header("Authorization").flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil }
        guard let bearer, let expiry = tokens[bearer], expiry > Date() else {
            counters.unauthorized += 1
            return .error(401, "InvalidAuthenticationToken", "Access token has expired or is not yet valid.")
        }
        if !faults.scripted.isEmpty {
            let status = faults.scripted.removeFirst()
            return refusal(status)
        }
        if faults.throttleRate > 0, Double(random.next() % 1_000_000) / 1_000_000 < faults.throttleRate {
            return refusal(faults.throttleStatus)
        }
        switch (path.count, path.first) {
        case (1, "users"): return users(request)
        case (2, "users"): return user(path[1])
        case (1, "groups"): return groups(request)
        case (2, "groups"): return group(path[1])
        case (3, "groups") where path[2] == "transitiveMembers": return transitiveMembers(path[1], request: request)
        case (5, "users") where path[2] == "mailFolders" && path[4] == "messages": return .error(400, "BadRequest", "use messages/delta")
        case (6, "users") where path[2] == "mailFolders" && path[4] == "messages" && path[5] == "delta":
            return delta(user: path[1], folder: path[3].lowercased(), request: request)
        case (4, "users") where path[2] == "calendarView" && path[3] == "delta":
            return delta(user: path[1], folder: "calendar", request: request)
        default:
            return .error(400, "BadRequest", "Resource not found for the segment '\(path.last ?? "")'.")
        }
    }

    mutating func refusal(_ status: Int) -> FakeResponse {
        var headers: [(name: String, value: String)] = []
        if status == 429 || status == 503 || status == 504 {
            counters.throttled += 1
            if let seconds = faults.retryAfterSeconds { headers.append(("Retry-After", String(seconds))) }
        }
        let code = [429: "TooManyRequests", 503: "ServiceUnavailable", 504: "GatewayTimeout", 500: "InternalServerError", 502: "BadGateway"][status] ?? "Error"
        return .error(status, code, "Injected fault \(status).", headers: headers)
    }
}
