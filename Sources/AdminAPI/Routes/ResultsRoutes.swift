import Foundation
import Hummingbird
import NIOCore
import Platform

/// The enrichment's results: summary, history, the enriched rows, exports and the customer card.
///
/// Aggregates only: no route returns an individual message, meeting or per-person figure.
struct ResultsRoutes {
    let platform: Platform

    func register(on environment: RouterGroup<EnvironmentRequestContext>) {
        environment.get("results", use: summary)
        environment.get("results/history", use: history)
        environment.get("results/rows", use: rows)
        environment.get("results/export", use: export)
        environment.get("accounts/{account}/card", use: card)
    }

    @Sendable func summary(_ request: Request, context: EnvironmentRequestContext) async throws -> Response {
        guard let summary = try await context.scope.results.summary() else {
            throw ServiceError(.notFound, "no result has been published yet")
        }
        // What the run read through Microsoft Graph, when it did: mailboxes whose data does not cover the whole year.
        var coverage: GraphRunReadings.Summary?
        if let run = try await platform.runs.run(tenant: context.tenantID, id: summary.runID) {
            let readings = try await platform.graphReadings(tenant: context.tenantID, run: run)
            if !readings.coverage.isEmpty { coverage = readings.summary }
        }
        return try json(ResultsSummaryView(summary: summary, coverage: coverage))
    }

    @Sendable func history(_ request: Request, context: EnvironmentRequestContext) async throws -> Response {
        let runs = try await context.scope.results.history()
        return try json(["runs": runs])
    }

    /// `?level=Year|Month|Week&period=YYYY-MM-DD&account=ID&sort=<column>&order=asc|desc&limit=&offset=&run=`.
    @Sendable func rows(_ request: Request, context: EnvironmentRequestContext) async throws -> Response {
        let query = try Self.query(request)
        guard let page = try await context.scope.results.rows(query) else {
            throw ServiceError(.notFound, "no result has been published yet")
        }
        return try json(RowsPage(runID: page.runID, total: page.total, limit: query.limit, offset: query.offset, rows: page.rows), encoder: .columns)
    }

    /// Every row of the current result as CSV (`?format=csv`, the default) or NDJSON, streamed.
    @Sendable func export(_ request: Request, context: EnvironmentRequestContext) async throws -> Response {
        let format = request.uri.queryParameters.get("format") ?? "csv"
        guard format == "csv" || format == "ndjson" else { throw ServiceError(.invalid, "must be csv or ndjson", field: "format") }
        let level = try Self.level(request)
        let store = context.scope.results
        guard try await store.summary() != nil else {
            throw ServiceError(.notFound, "no result has been published yet")
        }
        let body = ResponseBody { writer in
            var buffer = ByteBuffer()
            if format == "csv" {
                buffer.writeString(EnrichedRow.CodingKeys.allCases.map(\.rawValue).joined(separator: ",") + "\r\n")
            }
            let encoder = JSONEncoder.columns
            _ = try await store.export(level: level) { rows in
                for row in rows {
                    if format == "csv" {
                        buffer.writeString(row.csvFields.map(Self.csvField).joined(separator: ",") + "\r\n")
                    } else {
                        buffer.writeBytes(try encoder.encode(row))
                        buffer.writeString("\n")
                    }
                }
                try await writer.write(buffer)
                buffer.clear()
            }
            if buffer.readableBytes > 0 { try await writer.write(buffer) }
            try await writer.finish(nil)
        }
        let type = format == "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson"
        return Response(
            status: .ok,
            headers: [.contentType: type, .contentDisposition: "attachment; filename=\"enriched.\(format == "csv" ? "csv" : "ndjson")\""],
            body: body)
    }

    @Sendable func card(_ request: Request, context: EnvironmentRequestContext) async throws -> Response {
        guard let account = context.parameters.get("account") else { throw ServiceError.notFound("account") }
        guard let card = try await context.scope.results.customerCard(accountID: account)
        else { throw ServiceError.notFound("account in the current result") }
        return try json(card, encoder: .columns)
    }

    static func level(_ request: Request) throws -> String? {
        guard let level = request.uri.queryParameters.get("level") else { return nil }
        guard ["Year", "Month", "Week"].contains(level) else { throw ServiceError(.invalid, "must be Year, Month or Week", field: "level") }
        return level
    }

    static func query(_ request: Request) throws -> ResultsStore.Query {
        let parameters = request.uri.queryParameters
        var query = ResultsStore.Query()
        query.level = try level(request)
        if let period = parameters.get("period") {
            _ = try Validation.day(period, field: "period")
            query.period = period
        }
        query.accountID = parameters.get("account")
        if let sort = parameters.get("sort") {
            guard let column = EnrichedRow.CodingKeys(rawValue: sort) else {
                throw ServiceError(.invalid, "must be one of the column names, such as EngagementScore", field: "sort")
            }
            query.sort = column
        }
        if let order = parameters.get("order") {
            guard order == "asc" || order == "desc" else { throw ServiceError(.invalid, "must be asc or desc", field: "order") }
            query.descending = order == "desc"
        }
        if let limit = parameters.get("limit") {
            guard let value = Int(limit), (1...1000).contains(value) else { throw ServiceError(.invalid, "must be 1 to 1000", field: "limit") }
            query.limit = value
        }
        if let offset = parameters.get("offset") {
            guard let value = Int(offset), value >= 0 else { throw ServiceError(.invalid, "must be 0 or more", field: "offset") }
            query.offset = value
        }
        if let run = parameters.get("run") {
            guard let id = UUID(uuidString: run) else { throw ServiceError(.invalid, "must be a run id", field: "run") }
            query.runID = id
        }
        return query
    }

    static func csvField(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
