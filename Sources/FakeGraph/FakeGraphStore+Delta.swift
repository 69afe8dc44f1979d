import FakeServiceKit
import Foundation

extension FakeGraphStore.State {
    static let bodyFields: Set<String> = ["body", "uniqueBody", "bodyPreview", "subject"]

    /// `messages/delta` of a mail folder, or `calendarView/delta`: full sync, paging, delta rounds, `@removed`.
    mutating func delta(user id: String, folder: String, request: FakeRequest) -> FakeResponse {
        guard let user = model.users.first(where: { $0.id == id }) else {
            return .error(404, "ErrorInvalidUser", "The requested user '\(id)' is invalid.")
        }
        if faults.forbiddenUsers.contains(id) {
            return .error(403, "ErrorAccessDenied", "Access to OData is disabled: [RAOP] : Blocked by tenant configured AppOnly AccessPolicy settings.")
        }
        guard user.hasMailbox else {
            return .error(404, "MailboxNotEnabledForRESTAPI", "The mailbox is either inactive, soft-deleted, or is hosted on-premise.")
        }
        if folder != "calendar", faults.quotaExceededUsers.contains(id) {
            return .error(403, "ErrorQuotaExceeded", "The process failed to get the correct properties.")
        }
        let key = "\(id)/\(folder)"
        counters.requestsByFolder[key, default: 0] += 1
        guard let log = folders[key] else { return .error(404, "ErrorInvalidIdMalformed", "The folder '\(folder)' does not exist.") }
        let parameters = request.parameters
        let preferences = request.headerValues("Prefer").flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        if !preferences.contains(where: { $0.lowercased() == "idtype=\"immutableid\"" }) { counters.withoutImmutableIDs += 1 }
        let requested = preferences.first { $0.lowercased().hasPrefix("odata.maxpagesize=") }.flatMap { Int($0.split(separator: "=")[1]) }
        if requested == nil { counters.withoutPageSize += 1 }
        let pageSize = min(max(1, requested ?? defaultPageSize), 1000)

        var token: FakeSyncToken
        if let text = parameters["$deltatoken"] ?? parameters["$skiptoken"] {
            if parameters["$deltatoken"] != nil { counters.deltaRequests += 1 } else { counters.skipRequests += 1 }
            if faults.goneFolders.remove(key) != nil {
                return .error(faults.goneStatus, faults.goneCode, "The sync state generation is not found. Resync is required.")
            }
            guard let decoded = FakeSyncToken(text) else { return .error(400, "BadRequest", "The delta or skip token is not valid.") }
            token = decoded
            if token.mode == .delta {
                token = FakeSyncToken(
                    mode: .changes, from: token.from, to: sequence, offset: 0, rangeStart: token.rangeStart, rangeEnd: token.rangeEnd, select: token.select)
            }
        } else {
            counters.fullSyncs += 1
            let select = parameters["$select"]
            if folder == "calendar" {
                // calendarView/delta "doesn't support" $select, $filter, $expand, $orderby or $search (learn.microsoft.com/graph/api/event-delta).
                if let unsupported = ["$select", "$filter", "$expand", "$orderby", "$search"].first(where: { parameters[$0] != nil }) {
                    return .error(400, "ErrorInvalidParameter", "The following parameters are not supported with change tracking over the 'CalendarView' resource: '\(unsupported)'.")
                }
                guard let start = parameters["startDateTime"].flatMap(JSONBytes.date), let end = parameters["endDateTime"].flatMap(JSONBytes.date) else {
                    return .error(400, "ErrorInvalidParameter", "This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.")
                }
                token = FakeSyncToken(
                    mode: .full, from: sequence, rangeStart: Int(start.timeIntervalSince1970), rangeEnd: Int(end.timeIntervalSince1970), select: select)
            } else {
                let fields = Set((select ?? "").split(separator: ",").map(String.init))
                if select == nil || !fields.isDisjoint(with: Self.bodyFields) { counters.selectViolations += 1 }
                var since = Int.min
                if let filter = parameters["$filter"], let range = filter.range(of: "receivedDateTime ge ") {
                    since = JSONBytes.date(String(filter[range.upperBound...]).trimmingCharacters(in: .whitespaces)).map { Int($0.timeIntervalSince1970) } ?? Int.min
                }
                token = FakeSyncToken(
                    mode: .full, from: sequence, rangeStart: since, rangeEnd: nil, select: select,
                    cap: parameters["$filter"] == nil ? nil : faults.filteredDeltaCap)
            }
        }
        let select = token.select.map { Set($0.split(separator: ",").map(String.init)) }
        var entries: [[UInt8]] = []
        var more = false
        switch token.mode {
        case .full:
            var ids = log.snapshot(token.from, rangeStart: token.rangeStart, rangeEnd: token.rangeEnd)
            if let cap = token.cap, ids.count > cap {
                // The filtered round stops at the cap, silently: the newest messages only.
                ids = Array(ids.sorted { log.items[$0]!.start > log.items[$1]!.start }.prefix(cap))
                if token.offset == 0 { counters.cappedRounds += 1 }
            }
            let page = ids.dropFirst(token.offset).prefix(pageSize)
            entries = page.map { log.items[$0]!.rendered(select: select) }
            more = token.offset + page.count < ids.count
        case .changes, .delta:
            let changes = log.changes(after: token.from, upTo: token.to, rangeStart: token.rangeStart, rangeEnd: token.rangeEnd)
            let page = changes.dropFirst(token.offset).prefix(pageSize)
            entries = page.map { change in
                let item = log.items[change.id]!
                return change.removed ? item.removal(id: change.id) : item.rendered(select: select)
            }
            more = token.offset + page.count < changes.count
        }
        counters.itemsServed += entries.count
        let base = folder == "calendar" ? "\(baseURL)/v1.0/users/\(id)/calendarView/delta" : "\(baseURL)/v1.0/users/\(id)/mailFolders/\(folder)/messages/delta"
        var object: [(String, [UInt8])] = [
            ("@odata.context", JSONBytes.string("\(baseURL)/v1.0/$metadata#Collection(\(folder == "calendar" ? "event" : "message"))")),
            ("value", JSONBytes.array(entries)),
        ]
        if more {
            var next = token
            next.offset += entries.count
            object.append(("@odata.nextLink", JSONBytes.string("\(base)?$skiptoken=\(next.encoded)")))
        } else {
            let snapshot = token.mode == .full ? token.from : token.to
            let delta = FakeSyncToken(mode: .delta, from: snapshot, rangeStart: token.rangeStart, rangeEnd: token.rangeEnd, select: token.select, cap: token.cap)
            object.append(("@odata.deltaLink", JSONBytes.string("\(base)?$deltatoken=\(delta.encoded)")))
        }
        return .json(JSONBytes.object(object))
    }
}
