import Foundation
import Ingest

/// What every organization request passes before it is served: the host, the bearer token, membership and roles,
/// service protection limits, and injected faults; then the headers every answer carries.
extension FakeDataverseStore.State {
    /// Serves one organization request; returns the answer, the latency to add, and the user to release afterwards.
    mutating func serve(host: String, version: String, operation: Operation) -> (FakeDataverseResponse, Duration, String?) {
        counters.requests += 1
        inFlight += 1
        counters.maximumConcurrent = max(counters.maximumConcurrent, inFlight)
        let now = clock()
        let canonical = FakeDataverseOrganization.canonicalHost(host)
        var admitted: String?
        var response = gate(host: host, canonical: canonical, version: version, operation: operation, now: now, admitted: &admitted)
        response.headers.append(("OData-Version", "4.0"))
        response.headers.append(("REQ_ID", UUID().uuidString.lowercased()))
        if let admitted {
            let remaining = protection.remaining(admitted, now: now, limits: limits)
            response.headers.append(("x-ms-ratelimit-burst-remaining-xrm-requests", String(remaining.requests)))
            response.headers.append(("x-ms-ratelimit-time-remaining-xrm-requests", Self.seconds(remaining.seconds)))
            response.headers.append(("x-ms-dop-hint", String(organizations[canonical]?.setup.parallelismHint ?? 4)))
        }
        counters.statuses[response.status, default: 0] += 1
        // A refusal by the limits is immediate; everything else waits out the latency.
        let refused = admitted == nil && response.status == 429
        return (response, refused ? .zero : faults.latency, admitted)
    }

    /// `1199.46` → `1,199.46` (as observed in the header).
    static func seconds(_ value: Double) -> String {
        let whole = Int(value)
        let hundredths = Int(((value - Double(whole)) * 100).rounded())
        return DataverseError.grouped(whole + hundredths / 100) + "." + String(format: "%02d", hundredths % 100)
    }

    private mutating func gate(
        host: String, canonical: String, version: String, operation: Operation, now: Date, admitted: inout String?
    ) -> FakeDataverseResponse {
        guard organizations[canonical] != nil else {
            return .error(DataverseError(status: 404, code: "", message: "No organization is served at \(host)."))
        }
        if faults.unreachableHosts.contains(where: { FakeDataverseOrganization.canonicalHost($0) == canonical }) {
            return FakeDataverseResponse(status: 503, headers: [("Content-Type", "text/plain")], body: Array("Service Unavailable".utf8))
        }
        // A bearer challenge names the authority and the resource (authenticate-oauth).
        let challenge = "Bearer authorization_uri=\(baseURL)/\(app.tenantID)/oauth2/authorize, resource_id=https://\(host)/"
        guard let authorization = operation.header("Authorization"), authorization.lowercased().hasPrefix("bearer ") else {
            return .error(.unauthorized("The request is not authenticated: it has no bearer token.", challenge: challenge))
        }
        let value = String(authorization.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        guard let token = tokens[value] else { return .error(.unauthorized("The access token is not valid.", challenge: challenge)) }
        guard token.expiry > now else {
            tokens[value] = nil
            return .error(.unauthorized("The access token has expired.", challenge: challenge))
        }
        guard token.audience == "https://\(canonical)" else {
            return .error(.unauthorized("The access token was issued for \(token.audience), not for this organization.", challenge: challenge))
        }
        guard let user = organizations[canonical]!.applicationUsers[token.clientID] else { return .error(.notMember) }
        let isWhoAmI = operation.segments.count == 1 && (operation.segments[0] == "WhoAmI" || operation.segments[0] == "WhoAmI()")
        guard user.hasRole || isWhoAmI else { return .error(.noRoles(user.userID.uuidString.lowercased())) }

        let key = "\(canonical)|\(token.clientID)"
        if let refusal = protection.admit(key, now: now, limits: limits) {
            counters.throttled[refusal.code, default: 0] += 1
            return .error(refusal)
        }
        admitted = key
        if !faults.scripted.isEmpty {
            let answer = faults.scripted.removeFirst()
            var error = DataverseError(status: answer.status, code: answer.code, message: answer.message)
            if let seconds = answer.retryAfterSeconds ?? (answer.status == 429 ? faults.retryAfterSeconds : nil) {
                error.headers.append(("Retry-After", String(seconds)))
            }
            if answer.status == 429 { counters.throttled[answer.code, default: 0] += 1 }
            return .error(error)
        }
        if faults.throttleRate > 0, Double(random.next() % 1_000_000) / 1_000_000 < faults.throttleRate {
            counters.throttled[faults.throttleCode, default: 0] += 1
            return .error(.throttling(code: faults.throttleCode, limits: limits, retryAfter: faults.retryAfterSeconds))
        }

        // The organization is taken out while it works, so its rows are never copied.
        var organization = organizations.removeValue(forKey: canonical)!
        organization.progressAllKeys(settings: settings, now: now)
        var context = RequestContext(
            serviceRoot: "\(baseURL)/\(host)/api/data/\(version)", settings: settings, now: now, userID: user.userID, failOperation: faults.failOperation)
        let response = organization.respond(to: operation, context: &context)
        organizations[canonical] = organization
        faults.failOperation = context.failOperation
        merge(context.counts)
        let cost = limits.baseCostMilliseconds + limits.costPerOperationMilliseconds * Double(context.operations)
        protection.record(key, now: now, cost: cost)
        counters.simulatedExecutionMilliseconds += cost
        return response
    }

    private mutating func merge(_ counts: FakeDataverseCounters) {
        counters.upsertMultipleCalls += counts.upsertMultipleCalls
        counters.upsertMultipleTargets += counts.upsertMultipleTargets
        counters.batchCalls += counts.batchCalls
        counters.batchOperations += counts.batchOperations
        counters.created += counts.created
        counters.updated += counts.updated
        counters.deleted += counts.deleted
        counters.rolledBackRequests += counts.rolledBackRequests
        counters.rolledBackChangeSets += counts.rolledBackChangeSets
    }
}
