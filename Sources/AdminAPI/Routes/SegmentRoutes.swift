import Engagement
import Foundation
import Hummingbird
import Platform

/// Segments and measures on the enriched data.
struct SegmentRoutes {
    let platform: Platform
    let maximumBodyBytes: Int

    func register(on environment: RouterGroup<EnvironmentRequestContext>) {
        environment.get("segments", use: list)
        environment.post("segments", use: create)
        environment.get("segments/{segment}", use: get)
        environment.delete("segments/{segment}", use: delete)
        environment.get("segments/{segment}/members", use: members)
        environment.get("measures", use: measures)
        environment.post("measures", use: createMeasure)
        environment.get("measures/{measure}", use: measure)
    }

    @Sendable func list(_ request: Request, context: EnvironmentRequestContext) async throws -> Response {
        try json(["segments": try await context.scope.segments.segments()])
    }

    /// `{"name", "expression"}`; a syntax error names what is wrong and its position.
    @Sendable func create(_ request: Request, context: EnvironmentRequestContext) async throws -> Response {
        try context.authorize(.contribute)
        let body = try await RequestBody.read(request, limit: maximumBodyBytes, allowed: ["name", "expression"])
        let segment = try await context.scope.segments.create(
            name: try body.string("name"),
            expression: try body.string("expression"), at: platform.now())
        return try json(segment, status: .created)
    }

    struct SegmentView: Encodable {
        var segment: Segment
        var evaluations: [SegmentEvaluation]
    }

    @Sendable func get(_ request: Request, context: EnvironmentRequestContext) async throws -> Response {
        let store = context.scope.segments
        let id = try context.id("segment", "segment")
        guard let segment = try await store.segments().first(where: { $0.id == id }) else {
            throw ServiceError.notFound("segment")
        }
        return try json(SegmentView(segment: segment, evaluations: try await store.evaluations(segment: id)))
    }

    @Sendable func delete(_ request: Request, context: EnvironmentRequestContext) async throws -> Response {
        try context.authorize(.contribute)
        try await context.scope.segments.delete(
            id: try context.id("segment", "segment"))
        return Response(status: .noContent)
    }

    struct MembersPage: Encodable {
        var total: Int
        var limit: Int
        var offset: Int
        var members: [SegmentMember]
    }

    @Sendable func members(_ request: Request, context: EnvironmentRequestContext) async throws -> Response {
        let (limit, offset) = try Self.paging(request)
        let page = try await context.scope.segments.members(
            segment: try context.id("segment", "segment"),
            limit: limit, offset: offset, at: platform.now())
        return try json(MembersPage(total: page.total, limit: limit, offset: offset, members: page.members))
    }

    @Sendable func measures(_ request: Request, context: EnvironmentRequestContext) async throws -> Response {
        try json(["measures": try await context.scope.segments.measures()])
    }

    /// `{"name", "function": COUNT|SUM|AVG|MIN|MAX, "column", "segment_id"?}`.
    @Sendable func createMeasure(_ request: Request, context: EnvironmentRequestContext) async throws -> Response {
        try context.authorize(.contribute)
        let body = try await RequestBody.read(request, limit: maximumBodyBytes, allowed: ["name", "function", "column", "segment_id"])
        let measure = try await context.scope.segments.createMeasure(
            name: try body.string("name"),
            function: try body.choice("function", Measure.Function.self), column: try body.string("column"),
            segment: try body.optionalUUID("segment_id"), at: platform.now())
        return try json(measure, status: .created)
    }

    @Sendable func measure(_ request: Request, context: EnvironmentRequestContext) async throws -> Response {
        return try json(
            try await context.scope.segments.value(
                measure: try context.id("measure", "measure"), at: platform.now()))
    }

    static func paging(_ request: Request) throws -> (Int, Int) {
        let parameters = request.uri.queryParameters
        var limit = 50
        var offset = 0
        if let text = parameters.get("limit") {
            guard let value = Int(text), (1...1000).contains(value) else { throw ServiceError(.invalid, "must be 1 to 1000", field: "limit") }
            limit = value
        }
        if let text = parameters.get("offset") {
            guard let value = Int(text), value >= 0 else { throw ServiceError(.invalid, "must be 0 or more", field: "offset") }
            offset = value
        }
        return (limit, offset)
    }
}
