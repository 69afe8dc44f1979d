import Engagement
import Foundation
import Hummingbird
import Ingest
import NIOCore
import Platform

/// Pushing customer data and activity into an environment.
struct DataRoutes {
    let services: AppServices

    func register(on environment: RouterGroup<EnvironmentRequestContext>) {
        environment.post("customer-data/accounts", use: accounts)
        environment.post("customer-data/contacts", use: contacts)
        environment.post("activity", use: activity)
    }

    /// Replaces the environment's business accounts (CSV, or JSON `{"accounts": [{id, name, domains}]}`).
    @Sendable func accounts(_ request: Request, context: EnvironmentRequestContext) async throws -> Response {
        try context.authorize(.contribute)
        let accounts: [BusinessAccount]
        if isCSV(request) {
            let bytes = try await body(request)
            let parsed: (accounts: [BusinessAccount], errors: [IngestError])
            do throws(IngestError) {
                parsed = try CRMCSVParser.accounts(bytes)
            } catch {
                throw Self.storeError(error)
            }
            if let error = parsed.errors.first { throw Self.storeError(error) }
            accounts = parsed.accounts
        } else {
            let json = try await RequestBody.read(request, limit: services.maximumBodyBytes, allowed: ["accounts"])
            accounts = try json.objects("accounts").enumerated().map { index, item in
                let field = "accounts[\(index)]"
                try item.only(["id", "name", "domains"], field: field)
                return BusinessAccount(
                    id: try Validation.identifier(try item.string("id", field: field), field: "\(field).id"),
                    name: try Validation.name(try item.string("name", field: field), field: "\(field).name", limit: CRMCSVParser.maximumNameLength),
                    domains: try item.stringArray("domains", field: field).map { try Validation.domain($0, field: "\(field).domains") })
            }
        }
        let counts = try await context.scope.customerData.replaceAccounts(accounts: accounts)
        return try json(counts)
    }

    /// Replaces the environment's contacts (CSV with an email column chosen by `?email_field=`, or JSON).
    @Sendable func contacts(_ request: Request, context: EnvironmentRequestContext) async throws -> Response {
        try context.authorize(.contribute)
        let contacts: [Contact]
        if isCSV(request) {
            let bytes = try await body(request)
            let fields: [String] = request.uri.queryParameters.getAll("email_field").map { String($0) }
            let parsed: (contacts: [Contact], errors: [IngestError])
            do throws(IngestError) {
                parsed = try CRMCSVParser.contacts(bytes, columns: CRMCSVParser.ContactColumns(emails: fields))
            } catch {
                throw Self.storeError(error)
            }
            if let error = parsed.errors.first { throw Self.storeError(error) }
            contacts = parsed.contacts
        } else {
            let json = try await RequestBody.read(request, limit: services.maximumBodyBytes, allowed: ["contacts"])
            contacts = try json.objects("contacts").enumerated().map { index, item in
                let field = "contacts[\(index)]"
                try item.only(["id", "account_id", "emails"], field: field)
                var emails: [String: String] = [:]
                for (column, value) in try item.stringMap("emails", field: field) {
                    emails[column] = try Validation.email(value, field: "\(field).emails.\(column)").lowercased()
                }
                return Contact(
                    id: try Validation.identifier(try item.string("id", field: field), field: "\(field).id"),
                    accountID: try Validation.identifier(try item.string("account_id", field: field), field: "\(field).account_id"),
                    emailsByColumn: emails)
            }
        }
        let counts = try await context.scope.customerData.replaceContacts(contacts: contacts)
        return try json(counts)
    }

    /// A batch of NDJSON activity records; rejected whole on any invalid line unless `?skip_invalid=true`.
    @Sendable func activity(_ request: Request, context: EnvironmentRequestContext) async throws -> Response {
        try context.authorize(.contribute)
        let skipInvalid = request.uri.queryParameters.get("skip_invalid") == "true"
        let scope = try await services.platform.activityScope(for: context.environment)
        var problems: [ImportReport.Problem] = []
        var invalidLines = 0
        do {
            var report = try await context.scope.importer.importRecords(scope) { consume in
                try await NDJSONBodyReader(limit: services.maximumActivityBytes).forEachLine(request) { number, line in
                    let record: ActivityRecord
                    do throws(IngestError) {
                        record = try Self.parseLine(Array(line), number: number)
                    } catch {
                        invalidLines += 1
                        if problems.count < 100 {
                            problems.append(.init(file: nil, line: number, field: error.field, message: error.message))
                        }
                        return
                    }
                    try await consume(record)
                }
                if invalidLines > 0 && !skipInvalid { throw RejectedBatch() }
            }
            report.problems = problems
            return try json(ActivityImportResponse(report: report, skippedLines: invalidLines))
        } catch is RejectedBatch {
            return try json(
                RejectedBatchResponse(
                    error: .init(code: "invalid", message: "\(invalidLines) invalid lines; nothing was stored (send ?skip_invalid=true to store the valid ones)", field: "body"),
                    lines: problems),
                status: .badRequest)
        }
    }

    static func parseLine(_ bytes: [UInt8], number: Int) throws(IngestError) -> ActivityRecord {
        var result: Result<ActivityRecord, IngestError>!
        bytes.withUnsafeBytes { buffer in
            do throws(IngestError) {
                result = .success(try NDJSONParser.record(buffer, line: number))
            } catch {
                result = .failure(error)
            }
        }
        return try result.get()
    }

    private func isCSV(_ request: Request) -> Bool {
        request.headers[.contentType]?.lowercased().hasPrefix("text/csv") == true
    }

    private func body(_ request: Request) async throws -> [UInt8] {
        do {
            return Array(try await request.body.collect(upTo: services.maximumBodyBytes).readableBytesView)
        } catch is NIOTooManyBytesError {
            throw HTTPError(.contentTooLarge)
        }
    }

    static func storeError(_ error: IngestError) -> ServiceError {
        var place: [String] = []
        if let line = error.line { place.append("row \(line)") }
        if let field = error.field { place.append("column \(field)") }
        return ServiceError(.invalid, (place.isEmpty ? "" : place.joined(separator: ", ") + ": ") + error.message, field: error.field ?? "body")
    }
}
