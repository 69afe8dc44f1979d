import Foundation
import Hummingbird
import Platform

/// The results page (figures, enriched customers over time, the data preview) and the customer card.
struct ResultsPageRoutes {
    let renderer: PageRenderer

    /// Rows per page of a list page.
    static let pageSize = 25
    /// The highest `?page=` a list page accepts (25 rows each: 25 million rows).
    static let maximumPage = 1_000_000
    static let pageProblem = "page must be a whole number from 0 to \(maximumPage)."

    func register(on environment: RouterGroup<PageEnvironmentRequestContext>) {
        environment.get("results", use: results)
        environment.get("accounts/{account}", use: card)
    }

    /// `?page=N` of a list page; nil when it is malformed or out of range.
    static func pageNumber(_ request: Request) -> Int? {
        guard let text = request.uri.queryParameters.get("page") else { return 0 }
        guard let page = Int(text), (0...maximumPage).contains(page) else { return nil }
        return page
    }

    @Sendable func results(_ request: Request, context: PageEnvironmentRequestContext) async throws -> Response {
        let store = context.scope.results
        var view = ResultsPage(environmentName: context.environment.name, environmentID: context.environmentID)
        if let summary = try await store.summary() {
            guard let page = Self.pageNumber(request) else { return renderer.badRequest(context.session, Self.pageProblem) }
            view.published = try await published(summary, page: page, request: request, scope: context.scope)
        }
        return renderer.page(view, title: "Results", chrome: PageChrome(context.session, environment: context.environment))
    }

    /// The published part of the results page: `?level=`, `?sort=`, `?order=` and page `page` of the rows.
    func published(_ summary: RunSummary, page: Int, request: Request, scope: EnvironmentScope) async throws -> ResultsPage.Published {
        let history = try await scope.results.history()
        let chart = SVGChart(
            title: "Enriched customers per run", kind: .line, labels: history.map { PageFormat.day($0.asOf) },
            series: [.init(name: "Enriched customers", values: history.map { Double($0.enrichedCustomers) })])
        let parameters = request.uri.queryParameters
        var query = ResultsStore.Query()
        query.level = ["Year", "Month", "Week"].contains(parameters.get("level") ?? "") ? parameters.get("level") : "Year"
        query.sort = parameters.get("sort").flatMap(EnrichedRow.CodingKeys.init(rawValue:)) ?? .engagementScore
        query.descending = parameters.get("order") != "asc"
        query.limit = Self.pageSize
        query.offset = page * query.limit
        let rows = try await scope.results.rows(query)
        let level = query.level ?? "Year"
        let names = try await scope.customerData.accountNames(ids: Array(Set((rows?.rows ?? []).map(\.accountID))))
        func link(_ page: Int) -> String {
            "?level=\(level)&sort=\(query.sort.rawValue)&order=\(query.descending ? "desc" : "asc")&page=\(page)"
        }
        return ResultsPage.Published(
            enrichedCustomers: summary.enrichedCustomers, emails: summary.emailsProcessed, meetings: summary.meetingsProcessed,
            days: summary.daysOfData, chart: chart.render(), level: level, total: rows?.total ?? 0,
            from: (rows?.rows.isEmpty ?? true) ? 0 : query.offset + 1, to: query.offset + (rows?.rows.count ?? 0),
            columns: EnrichedRow.CodingKeys.allCases.map { column in
                let active = column == query.sort
                return ResultsPage.Column(
                    name: column.rawValue, nextOrder: active && query.descending ? "asc" : "desc",
                    arrow: active ? (query.descending ? " ↓" : " ↑") : "")
            },
            rows: (rows?.rows ?? []).map { row in
                ResultsPage.Row(
                    account: row.accountID, name: names[row.accountID] ?? "", accountQuery: PageFormat.pathComponent(row.accountID),
                    cells: Array(row.csvFields.dropFirst()))
            },
            previous: page > 0 ? link(page - 1) : nil,
            next: (query.offset + query.limit) < (rows?.total ?? 0) ? link(page + 1) : nil)
    }

    @Sendable func card(_ request: Request, context: PageEnvironmentRequestContext) async throws -> Response {
        guard let account = context.parameters.get("account")?.removingPercentEncoding,
            let card = try await context.scope.results.customerCard(accountID: account)
        else { return renderer.notFound(context.session) }
        return renderer.page(CardPage(card), title: card.name, chrome: PageChrome(context.session, environment: context.environment))
    }
}
