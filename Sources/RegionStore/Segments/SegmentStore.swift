import Engagement
import Foundation
import Postgres

/// Segments and measures of an environment, in its region database.
public struct SegmentStore: Sendable {
    /// The environment's slice of its region database.
    public let slice: EnvironmentDatabase
    var database: RegionDatabase { slice.database }
    var tenant: UUID { slice.tenant }
    var environment: UUID { slice.environment }

    public init(_ slice: EnvironmentDatabase) {
        self.slice = slice
    }

    /// The segments every environment starts with.
    public static let readyMade: [(name: String, expression: String)] = [
        ("Stale accounts", "(DaysSinceLastEmail > 60 OR DaysSinceLastEmail IS NULL) AND (DaysSinceLastMeeting > 60 OR DaysSinceLastMeeting IS NULL)"),
        ("Single-threaded accounts", "EngagementScore > 0 AND NoOfAccountContactsInvolved_Emails <= 1 AND NoOfAccountContactsInvolved_Meetings <= 1"),
        ("Rising accounts", "EngagementStartDate >= today - 90 days AND EngagementScore >= 50"),
    ]

    /// Adds the ready-made segments once (on the environment's creation).
    public func seed(at moment: Date) async throws {
        try await database.withTenant(tenant) { connection in
            for entry in Self.readyMade {
                try await connection.execute(
                    """
                    INSERT INTO segment (tenant_id, environment_id, segment_id, name, expression, ready_made, created_at)
                    VALUES (\(tenant), \(environment), \(UUID()), \(entry.name), \(entry.expression), true, \(moment))
                    ON CONFLICT DO NOTHING
                    """)
            }
        }
    }

    /// Creates a segment after checking its expression; evaluates it on the current result at once.
    ///
    /// The expression is compiled and run once on the current result inside the
    /// transaction that stores it: a segment that cannot be evaluated is never saved.
    public func create(name: String, expression: String, at moment: Date) async throws -> Segment {
        let name = try Validation.name(name, field: "name")
        let parsed: SegmentExpression
        do {
            parsed = try SegmentExpression.parse(expression)
        } catch {
            throw ServiceError(.invalid, "\(error)", field: "expression")
        }
        let id = UUID()
        try await database.withTenant(tenant) { connection in
            do {
                try await connection.execute(
                    """
                    INSERT INTO segment (tenant_id, environment_id, segment_id, name, expression, created_at)
                    VALUES (\(tenant), \(environment), \(id), \(name), \(expression), \(moment))
                    """)
            } catch let error as PostgresError where error.isUniqueViolation {
                throw ServiceError(.conflict, "a segment named \"\(name)\" exists", field: "name")
            }
            let run = try await currentRun(connection, environment: environment)
            let size: Int
            do {
                size = try await self.size(connection, parsed, environment: environment, run: run, at: moment)
            } catch let error as PostgresError where error.isDataOrLimitError {
                throw ServiceError(.invalid, "the expression cannot be evaluated on the results (SQLSTATE \(error.sqlState ?? "?"))", field: "expression")
            }
            if let run { try await record(connection, segment: id, run: run, size: size, at: moment) }
        }
        guard let segment = try await segments().first(where: { $0.id == id }) else {
            throw ServiceError.notFound("segment")
        }
        return segment
    }

    public func delete(id: UUID) async throws {
        let deleted = try await database.withTenant(tenant) { connection in
            try await connection.execute("DELETE FROM segment WHERE environment_id = \(environment) AND segment_id = \(id)")
        }
        guard deleted == 1 else { throw ServiceError.notFound("segment") }
    }

    public func segments() async throws -> [Segment] {
        try await database.withTenant(tenant, snapshot: true) { connection in
            try await connection.query(
                "SELECT \(Segment.columns) FROM segment s WHERE s.environment_id = \(environment) ORDER BY s.ready_made DESC, s.name"
            ).map(Segment.init(row:))
        }
    }

    public func evaluations(segment: UUID) async throws -> [SegmentEvaluation] {
        try await database.withTenant(tenant, snapshot: true) { connection in
            try await connection.query(
                """
                SELECT \(SegmentEvaluation.columns) FROM segment_evaluation
                WHERE environment_id = \(environment) AND segment_id = \(segment) ORDER BY evaluated_at
                """
            ).map(SegmentEvaluation.init(row:))
        }
    }

    /// Records each segment's size on the current result (after a run publishes).
    ///
    /// Each segment is evaluated in its own transaction: one that cannot be
    /// evaluated (stored before the checks of today) is skipped and counted, and
    /// never stops the others or the publish. Returns how many were skipped.
    @discardableResult
    public func evaluateAll(at moment: Date) async throws -> Int {
        let stored = try await database.withTenant(tenant, snapshot: true) { connection in
            try await connection.query("SELECT segment_id, expression FROM segment WHERE environment_id = \(environment)")
                .map { try $0.decode((UUID, String).self) }
        }
        var skipped = 0
        for (id, text) in stored {
            guard let expression = try? SegmentExpression.parse(text) else {
                skipped += 1
                continue
            }
            do {
                try await database.withTenant(tenant) { connection in
                    guard let run = try await currentRun(connection, environment: environment) else { return }
                    let size = try await self.size(connection, expression, environment: environment, run: run, at: moment)
                    try await record(connection, segment: id, run: run, size: size, at: moment)
                }
            } catch let error as PostgresError where error.isDataOrLimitError {
                skipped += 1
            }
        }
        return skipped
    }

    /// How many accounts of the run's result the expression selects.
    private func size(_ connection: PostgresConnection, _ expression: SegmentExpression, environment: UUID, run: UUID?, at moment: Date) async throws -> Int {
        try await connection.query(
            "SELECT count(*) \(SegmentCompiler.base(environment: environment, run: run)) AND \(SegmentCompiler.condition(expression, today: moment))"
        )[0].decode(Int.self, at: 0)
    }

    private func record(_ connection: PostgresConnection, segment: UUID, run: UUID, size: Int, at moment: Date) async throws {
        try await connection.execute(
            """
            INSERT INTO segment_evaluation (tenant_id, environment_id, segment_id, run_id, size, evaluated_at)
            VALUES (\(tenant), \(environment), \(segment), \(run), \(size), \(moment))
            ON CONFLICT (tenant_id, environment_id, segment_id, run_id) DO UPDATE SET size = excluded.size, evaluated_at = excluded.evaluated_at
            """)
    }

    /// A page of a segment's members on the current result, highest score first.
    public func members(
        segment: UUID, limit: Int, offset: Int, at moment: Date
    ) async throws -> (total: Int, members: [SegmentMember]) {
        try await database.withTenant(tenant, snapshot: true) { connection in
            let text = try await connection.query(
                "SELECT expression FROM segment WHERE environment_id = \(environment) AND segment_id = \(segment)"
            ).first(decoding: String.self)
            guard let text else { throw ServiceError.notFound("segment") }
            let expression = try Self.stored(text)
            let run = try await currentRun(connection, environment: environment)
            let condition = SegmentCompiler.condition(expression, today: moment)
            let base = SegmentCompiler.base(environment: environment, run: run)
            let total = try await connection.query("SELECT count(*) \(base) AND \(condition)")[0].decode(Int.self, at: 0)
            let members = try await connection.query(
                """
                SELECT \(SegmentMember.columns)
                \(base) AND \(condition)
                ORDER BY coalesce(e.engagement_score, 0) DESC, b.account_id LIMIT \(limit) OFFSET \(offset)
                """
            ).map(SegmentMember.init(row:))
            return (total, members)
        }
    }

    // MARK: - Measures

    public func createMeasure(
        name: String, function: Measure.Function, column: String, segment: UUID?, at moment: Date
    ) async throws -> Measure {
        let name = try Validation.name(name, field: "name")
        guard let parsed = SegmentColumn.named(column) else {
            throw ServiceError(.invalid, "unknown column; use one of \(SegmentColumn.allCases.map(\.rawValue).joined(separator: ", "))", field: "column")
        }
        guard function == .count || parsed.kind == .number else {
            throw ServiceError(.invalid, "\(function.rawValue) needs a numeric column", field: "column")
        }
        let measure = Measure(id: UUID(), name: name, function: function, column: parsed.rawValue, segmentID: segment, createdAt: moment)
        try await database.withTenant(tenant) { connection in
            if let segment {
                let known = try await connection.query("SELECT 1 FROM segment WHERE environment_id = \(environment) AND segment_id = \(segment)")
                guard !known.isEmpty else { throw ServiceError(.notFound, "segment not found", field: "segment_id") }
            }
            try await connection.execute(
                """
                INSERT INTO measure (tenant_id, environment_id, measure_id, name, function, column_name, segment_id, created_at)
                VALUES (\(tenant), \(environment), \(measure.id), \(name), \(function.rawValue), \(parsed.rawValue), \(segment), \(moment))
                """)
        }
        return measure
    }

    public func measures() async throws -> [Measure] {
        try await database.withTenant(tenant, snapshot: true) { connection in
            try await connection.query(
                "SELECT \(Measure.columns) FROM measure WHERE environment_id = \(environment) ORDER BY name"
            ).map(Measure.init(row:))
        }
    }

    /// The measure over the current result: its Year value and its value per month.
    public func value(measure id: UUID, at moment: Date) async throws -> MeasureValue {
        guard let measure = try await measures().first(where: { $0.id == id }) else {
            throw ServiceError.notFound("measure")
        }
        let column = SegmentColumn.named(measure.column) ?? .engagementScore
        return try await database.withTenant(tenant, snapshot: true) { connection in
            let run = try await currentRun(connection, environment: environment)
            var condition: PostgresQuery = "true"
            if let segment = measure.segmentID {
                let text = try await connection.query(
                    "SELECT expression FROM segment WHERE environment_id = \(environment) AND segment_id = \(segment)"
                ).first(decoding: String.self)
                if let text { condition = SegmentCompiler.condition(try Self.stored(text), today: moment) }
            }
            let function = PostgresQuery(unsafeSQL: measure.function.rawValue)
            let yearValue: PostgresQuery = measure.function == .count ? "count(*)" : "\(function)(\(SegmentCompiler.sql(column)))"
            let base = SegmentCompiler.base(environment: environment, run: run)
            let year = try await connection.query("SELECT (\(yearValue))::float8 \(base) AND \(condition)")[0].decode(Double?.self, at: 0)
            var months: [MeasureValue.MonthPoint] = []
            if let monthColumn = SegmentCompiler.monthSQL(column) ?? (measure.function == .count ? "1" : nil) {
                let monthValue: PostgresQuery = measure.function == .count ? "count(*)" : "\(function)(\(monthColumn))"
                months = try await connection.query(
                    """
                    SELECT to_char(m.period_start, 'YYYY-MM-DD') AS month, (\(monthValue))::float8 AS value
                    FROM account_engagement m
                    WHERE m.environment_id = \(environment) AND m.run_id = \(run) AND m.level = 'Month'
                      AND m.account_id IN (SELECT b.account_id \(base) AND \(condition))
                    GROUP BY m.period_start ORDER BY m.period_start
                    """
                ).map(MeasureValue.MonthPoint.init(row:))
            }
            return MeasureValue(measure: measure, year: year, months: months)
        }
    }

    /// A stored expression, parsed; one saved before today's checks that fails them is a 422, never a 500.
    static func stored(_ text: String) throws -> SegmentExpression {
        do {
            return try SegmentExpression.parse(text)
        } catch {
            throw ServiceError(.unprocessable, "the segment's stored expression is no longer valid (\(error)); delete it and create it again")
        }
    }

    func currentRun(_ connection: PostgresConnection, environment: UUID) async throws -> UUID? {
        try await connection.query("SELECT run_id FROM current_result WHERE environment_id = \(environment)").first(decoding: UUID.self)
    }
}
