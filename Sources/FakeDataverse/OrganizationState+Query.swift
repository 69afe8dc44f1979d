import FakeServiceKit
import Foundation
import Ingest

/// `GET {entityset}`: `$select`, `$filter`, `$orderby`, `$top`, `$count`, and paging by `Prefer: odata.maxpagesize`
/// with `@odata.nextLink` (learn.microsoft.com/power-apps/developer/data-platform/webapi/query/page-results).
extension OrganizationState {
    func query(_ table: FakeDataverseTable, _ operation: Operation, context: RequestContext) throws -> FakeDataverseResponse {
        let query = operation.query
        try rejectUnsupportedOptions(query, allowed: ["$select", "$filter", "$orderby", "$top", "$count", "$skiptoken"])
        let select = try selection(query["$select"], table: table)
        let readable = { (name: String) in name == table.primaryIdAttribute || table.isReadable(name) }
        var filter: ODataFilter?
        if let text = query["$filter"] {
            do {
                filter = try ODataFilter.parse(text)
            } catch {
                throw DataverseError.uri(error.message)
            }
            for name in filter!.properties where !readable(name) {
                throw DataverseError.uri("Could not find a property named '\(name)' on type 'Microsoft.Dynamics.CRM.\(table.logicalName)'.")
            }
        }
        var ordering: [(name: String, descending: Bool)] = []
        for item in (query["$orderby"] ?? "").split(separator: ",") {
            let words = item.split(separator: " ").map(String.init)
            guard let name = words.first, words.count <= 2, readable(name), words.count == 1 || ["asc", "desc"].contains(words[1]) else {
                throw DataverseError.uri("The $orderby item '\(item)' is not valid.")
            }
            ordering.append((name, words.count == 2 && words[1] == "desc"))
        }
        var top: Int?
        if let text = query["$top"] {
            guard let value = Int(text), value >= 0 else { throw DataverseError.uri("The $top value '\(text)' is not valid.") }
            top = min(value, context.settings.maximumPageSize)
        }
        let requested = operation.preferences["odata.maxpagesize"].flatMap { Int($0) }.flatMap { $0 > 0 ? $0 : nil }
        let pageSize = min(requested ?? context.settings.maximumPageSize, context.settings.maximumPageSize)
        let cursor = query["$skiptoken"].flatMap(PagingCookie.init(text:))
        if query["$skiptoken"] != nil, cursor == nil { throw DataverseError.uri("The $skiptoken value is not valid.") }

        let store = rows[table.logicalName] ?? RowStore(caseInsensitive: true)
        let caseInsensitive = context.settings.caseInsensitiveStrings
        func value(_ id: UUID, _ row: StoredRow, _ name: String) -> JSONValue? {
            if name == table.primaryIdAttribute { return .string(id.uuidString.lowercased()) }
            if let lookup = table.lookup(valueProperty: name) { return row.values[lookup.logicalName] }
            return row.values[name]
        }
        func matches(_ id: UUID, _ row: StoredRow) -> Bool {
            filter?.matches({ value(id, row, $0) }, caseInsensitive: caseInsensitive) ?? true
        }

        var page: [(id: UUID, row: StoredRow)] = []
        var next: PagingCookie?
        var total = 0
        let limit = top ?? pageSize
        if ordering.isEmpty {
            // Creation order; the cookie remembers the last row's place.
            let start = cursor?.sequence ?? 0
            if query["$count"] == "true" { total = store.rowsInOrder(after: 0).filter { matches($0.id, $0.row) }.count }
            for entry in store.rowsInOrder(after: start) where matches(entry.id, entry.row) {
                if page.count == limit {
                    if top == nil { next = PagingCookie(page: (cursor?.page ?? 1) + 1, sequence: page.last!.row.sequence, offset: nil) }
                    break
                }
                page.append((entry.id, entry.row))
            }
        } else {
            var all = store.rowsInOrder(after: 0).filter { matches($0.id, $0.row) }.map { (id: $0.id, row: $0.row) }
            all.sort { a, b in
                for (name, descending) in ordering {
                    let order = ODataFilter.order(value(a.id, a.row, name) ?? .null, Self.literal(value(b.id, b.row, name)), caseInsensitive: caseInsensitive) ?? 0
                    if order != 0 { return descending ? order > 0 : order < 0 }
                }
                return a.row.sequence < b.row.sequence
            }
            total = all.count
            let offset = cursor?.offset ?? 0
            page = Array(all.dropFirst(offset).prefix(limit))
            if top == nil, offset + page.count < all.count {
                next = PagingCookie(page: (cursor?.page ?? 1) + 1, sequence: nil, offset: offset + page.count)
            }
        }

        var members: [(String, [UInt8])] = [
            ("@odata.context", JSONBytes.string("\(context.serviceRoot)/$metadata#\(table.entitySetName)\(select.map { "(" + $0.joined(separator: ",") + ")" } ?? "")"))
        ]
        if query["$count"] == "true" { members.append(("@odata.count", JSONBytes.int(min(total, 5000)))) }
        members.append(("value", JSONBytes.array(page.map { JSONBytes.object(rendered(table, id: $0.id, row: $0.row, select: select)) })))
        if let next {
            var options = query.filter { $0.key != "$skiptoken" }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            options.append(("$skiptoken", next.text))
            let text = options.map { "\($0.0)=\(Self.encodeQueryValue($0.1))" }.joined(separator: "&")
            members.append(("@odata.nextLink", JSONBytes.string("\(context.serviceRoot)/\(table.entitySetName)?\(text)")))
        }
        var headers: [(name: String, value: String)] = []
        if let requested { headers.append(("Preference-Applied", "odata.maxpagesize=\(min(requested, context.settings.maximumPageSize))")) }
        return .json(JSONBytes.object(members), headers: headers)
    }

    /// A stored value as a `$filter` literal, to order rows with the same comparison.
    static func literal(_ value: JSONValue?) -> ODataFilter.Literal {
        switch value {
        case .string(let text)?: .string(text)
        case .number(let number)?: .number(number)
        case .bool(let flag)?: .bool(flag)
        default: .null
        }
    }

    static func encodeQueryValue(_ value: String) -> String {
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~$,()'*:@/")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }
}

/// The `$skiptoken` of a next link: shaped like Dataverse's paging cookie, opaque to clients.
struct PagingCookie {
    var page: Int
    var sequence: Int?
    var offset: Int?

    init(page: Int, sequence: Int?, offset: Int?) {
        self.page = page
        self.sequence = sequence
        self.offset = offset
    }

    init?(text: String) {
        func attribute(_ name: String) -> String? {
            guard let range = text.range(of: "\(name)=\"") else { return nil }
            return String(text[range.upperBound...].prefix { $0 != "\"" })
        }
        guard let page = attribute("pagenumber").flatMap(Int.init) else { return nil }
        self.page = page
        sequence = attribute("fakeposition").flatMap(Int.init)
        offset = attribute("fakeoffset").flatMap(Int.init)
        guard sequence != nil || offset != nil else { return nil }
    }

    var text: String {
        let position = sequence.map { "fakeposition=\"\($0)\"" } ?? "fakeoffset=\"\(offset ?? 0)\""
        return "<cookie pagenumber=\"\(page)\" \(position) istracking=\"False\" />"
    }
}
