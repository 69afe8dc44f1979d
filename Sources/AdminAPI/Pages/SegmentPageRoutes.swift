import Foundation
import Hummingbird
import Platform

/// The segments (list, new, each with its members) and measures pages.
struct SegmentPageRoutes {
    let platform: Platform
    let renderer: PageRenderer

    /// The new segment form's fields.
    struct SegmentForm: Decodable {
        var name: String?
        var expression: String?
    }

    /// The new measure form's fields.
    struct MeasureForm: Decodable {
        var name: String?
        var function: String?
        var column: String?
        var segmentID: String?

        enum CodingKeys: String, CodingKey {
            case name, function, column
            case segmentID = "segment_id"
        }
    }

    func register(on environment: RouterGroup<PageEnvironmentRequestContext>) {
        environment.get("segments", use: segments)
        environment.post("segments", use: createSegment)
        environment.get("segments/{segment}", use: segment)
        environment.get("measures", use: measures)
        environment.post("measures", use: createMeasure)
    }

    @Sendable func segments(_ request: Request, context: PageEnvironmentRequestContext) async throws -> Response {
        try await renderSegments(context, draft: nil, error: nil)
    }

    func renderSegments(_ context: PageEnvironmentRequestContext, draft: SegmentForm?, error: String?) async throws -> Response {
        let view = SegmentsPage(
            environmentName: context.environment.name, environmentID: context.environmentID, csrf: context.session.csrf,
            draftName: draft?.name ?? "", draftExpression: draft?.expression ?? "",
            segments: try await context.scope.segments.segments().map(SegmentsPage.Row.init))
        return renderer.page(
            view, title: "Segments", chrome: PageChrome(context.session, environment: context.environment, error: error),
            status: error == nil ? .ok : .unprocessableContent)
    }

    @Sendable func createSegment(_ request: Request, context: PageEnvironmentRequestContext) async throws -> Response {
        let form = try await PageForm.fields(SegmentForm.self, from: request)
        guard context.may(.contribute) else {
            return try await renderSegments(context, draft: form, error: "Creating segments needs the contributor role.")
        }
        do {
            let segment = try await context.scope.segments.create(name: form.name ?? "", expression: form.expression ?? "", at: platform.now())
            return PageRenderer.redirect("/ui/environments/\(context.environmentID)/segments/\(segment.id.uuidString.lowercased())")
        } catch let error as ServiceError {
            return try await renderSegments(context, draft: form, error: error.message)
        }
    }

    @Sendable func segment(_ request: Request, context: PageEnvironmentRequestContext) async throws -> Response {
        let store = context.scope.segments
        guard let text = context.parameters.get("segment"), let id = UUID(uuidString: text),
            let segment = try await store.segments().first(where: { $0.id == id })
        else { return renderer.notFound(context.session) }
        let evaluations = try await store.evaluations(segment: id)
        guard let page = ResultsPageRoutes.pageNumber(request) else { return renderer.badRequest(context.session, ResultsPageRoutes.pageProblem) }
        let size = ResultsPageRoutes.pageSize
        let members = try await store.members(segment: id, limit: size, offset: page * size, at: platform.now())
        let chart = SVGChart(
            title: "Size of \(segment.name) after each run", kind: .line, labels: evaluations.map { PageFormat.day($0.evaluatedAt) },
            series: [.init(name: "Members", values: evaluations.map { Double($0.size) })])
        let view = SegmentPage(
            name: segment.name, expression: segment.expression, environmentID: context.environmentID, chart: chart.render(),
            total: members.total, members: members.members.map(SegmentPage.Member.init),
            previous: page > 0 ? "?page=\(page - 1)" : nil, next: (page + 1) * size < members.total ? "?page=\(page + 1)" : nil)
        return renderer.page(view, title: segment.name, chrome: PageChrome(context.session, environment: context.environment))
    }

    @Sendable func measures(_ request: Request, context: PageEnvironmentRequestContext) async throws -> Response {
        try await renderMeasures(context, error: nil)
    }

    func renderMeasures(_ context: PageEnvironmentRequestContext, error: String?) async throws -> Response {
        let store = context.scope.segments
        let segments = try await store.segments()
        var measures: [MeasuresPage.Row] = []
        for measure in try await store.measures() {
            let value = try await store.value(measure: measure.id, at: platform.now())
            let chart = SVGChart(
                title: "\(measure.name) per month", kind: .bars, labels: value.months.map { String($0.month.prefix(7)) },
                series: [.init(name: measure.name, values: value.months.map { $0.value ?? 0 })])
            measures.append(
                MeasuresPage.Row(
                    id: measure.id.uuidString.lowercased(), name: measure.name, function: measure.function.rawValue, column: measure.column,
                    scope: segments.first { $0.id == measure.segmentID }?.name ?? "all accounts",
                    year: value.year.map { $0.rounded() == $0 ? String(Int($0)) : String(format: "%.2f", $0) } ?? "–", chart: chart.render()))
        }
        let view = MeasuresPage(
            environmentName: context.environment.name, environmentID: context.environmentID, csrf: context.session.csrf, measures: measures,
            functions: Measure.Function.allCases.map(\.rawValue), columns: SegmentColumn.allCases.map(\.rawValue),
            segments: segments.map { MeasuresPage.Option(id: $0.id.uuidString.lowercased(), name: $0.name) })
        return renderer.page(
            view, title: "Measures", chrome: PageChrome(context.session, environment: context.environment, error: error),
            status: error == nil ? .ok : .unprocessableContent)
    }

    @Sendable func createMeasure(_ request: Request, context: PageEnvironmentRequestContext) async throws -> Response {
        let form = try await PageForm.fields(MeasureForm.self, from: request)
        guard context.may(.contribute) else {
            return try await renderMeasures(context, error: "Creating measures needs the contributor role.")
        }
        do {
            _ = try await context.scope.segments.createMeasure(
                name: form.name ?? "", function: Measure.Function(rawValue: form.function ?? "") ?? .count, column: form.column ?? "",
                segment: form.segmentID.flatMap(UUID.init(uuidString:)), at: platform.now())
            return PageRenderer.redirect("/ui/environments/\(context.environmentID)/measures")
        } catch let error as ServiceError {
            return try await renderMeasures(context, error: error.message)
        }
    }
}
