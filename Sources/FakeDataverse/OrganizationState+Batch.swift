import FakeServiceKit
import Foundation
import Ingest

/// `POST $batch` (learn.microsoft.com/power-apps/developer/data-platform/webapi/execute-batch-operations-using-web-api):
/// up to 1000 operations in order, atomic change sets without GET, `Content-ID` and `$n` references, and the first
/// failure ending the batch with 400 unless `Prefer: odata.continue-on-error`.
extension OrganizationState {
    mutating func batch(_ operation: Operation, context: inout RequestContext) -> FakeDataverseResponse {
        context.counts.batchCalls += 1
        guard operation.method == "POST" else { return .error(.methodNotAllowed(operation.method)) }
        let request: BatchRequest
        switch operation.body {
        case .batch(let parsed): request = parsed
        case .invalidBatch(let message): return .error(.invalidArgument(message))
        default: return .error(.invalidArgument("The $batch request must have a multipart/mixed body."))
        }
        let count = request.operationCount
        guard count <= context.settings.maximumBatchOperations else {
            return .error(
                .invalidArgument("The batch holds \(count) operations; batch requests can contain up to \(context.settings.maximumBatchOperations) individual requests."))
        }
        for item in request.items {
            guard case .changeSet(let parts) = item else { continue }
            if parts.contains(where: { $0.method == "GET" }) { return .error(.invalidArgument("GET requests are not allowed within change sets.")) }
        }
        let continueOnError = operation.preferences["odata.continue-on-error"] != nil
        var parts: [[UInt8]] = []
        for item in request.items {
            switch item {
            case .request(let part):
                var transaction = begin()
                let response = run(part, references: [:], context: &context, transaction: &transaction)
                if response.status >= 400 {
                    rollback(transaction)
                    if !transaction.isEmpty { context.counts.rolledBackRequests += 1 }
                    if !continueOnError { return Self.batchResponse(status: 400, [MultipartMixed.responsePart(response, contentID: part.contentID)]) }
                } else {
                    commit(transaction, context: &context)
                }
                parts.append(MultipartMixed.responsePart(response, contentID: part.contentID))
            case .changeSet(let changeSet):
                var transaction = begin()
                var responses: [[UInt8]] = []
                var references: [String: String] = [:]
                var failure: (response: FakeDataverseResponse, contentID: String?)?
                for (index, part) in changeSet.enumerated() {
                    var response: FakeDataverseResponse
                    if let injected = context.failOperation, injected.operation == index + 1 {
                        context.failOperation = nil
                        context.operations += 1
                        context.counts.batchOperations += 1
                        response = .error(DataverseError(status: injected.status, code: injected.code, message: injected.message))
                    } else {
                        response = run(part, references: references, context: &context, transaction: &transaction)
                    }
                    if response.status >= 400 {
                        failure = (response, part.contentID)
                        break
                    }
                    if let contentID = part.contentID, let url = response.header("OData-EntityId") { references[contentID] = url }
                    responses.append(MultipartMixed.responsePart(response, contentID: part.contentID))
                }
                if let failure {
                    // "If any one of the operations fails, any completed operations will be rolled back."
                    rollback(transaction)
                    context.counts.rolledBackChangeSets += 1
                    let part = MultipartMixed.responsePart(failure.response, contentID: failure.contentID)
                    if !continueOnError { return Self.batchResponse(status: 400, [part]) }
                    parts.append(part)
                } else {
                    commit(transaction, context: &context)
                    let boundary = "changesetresponse_\(UUID().uuidString.lowercased())"
                    parts.append(
                        Array("Content-Type: multipart/mixed; boundary=\(boundary)\r\n\r\n".utf8) + MultipartMixed.body(responses, boundary: boundary))
                }
            }
        }
        return Self.batchResponse(status: 200, parts)
    }

    static func batchResponse(status: Int, _ parts: [[UInt8]]) -> FakeDataverseResponse {
        let boundary = "batchresponse_\(UUID().uuidString.lowercased())"
        return FakeDataverseResponse(
            status: status, headers: [("Content-Type", "multipart/mixed; boundary=\(boundary)")], body: MultipartMixed.body(parts, boundary: boundary))
    }

    /// Runs one part: its URL resolved against the organization (and `$n` references of its change set).
    mutating func run(_ part: BatchPart, references: [String: String], context: inout RequestContext, transaction: inout Transaction)
        -> FakeDataverseResponse
    {
        context.counts.batchOperations += 1
        var response: FakeDataverseResponse
        do {
            let operation = try resolve(part, references: references, context: context)
            response = try execute(operation, context: &context, transaction: &transaction)
        } catch {
            response = .error(error as? DataverseError ?? .unexpected("\(error)"))
        }
        response.headers.append(("OData-Version", "4.0"))
        if response.status == 204 || response.status == 201, let url = response.header("OData-EntityId") {
            response.headers.append(("Location", url))
        }
        return response
    }

    /// The operation a part's URL names: `/api/data/v9.2/…`, an absolute URL of this organization, `$n…`, or relative to the service root.
    func resolve(_ part: BatchPart, references: [String: String], context: RequestContext) throws -> Operation {
        var url = part.url
        guard url.utf8.count <= 65_536 else { throw DataverseError.invalidArgument("A URL inside a batch can be up to 64 KB.") }
        if url.hasPrefix("$") {
            let name = String(url.dropFirst().prefix { $0.isNumber || $0.isLetter || $0 == "-" || $0 == "_" })
            guard let target = references[name] else {
                throw DataverseError.invalidArgument("Content-ID Reference: '$\(name)' does not exist in the batch context.")
            }
            url = target + url.dropFirst(name.count + 1)
        }
        if let scheme = url.range(of: "://") {
            let afterScheme = url[scheme.upperBound...]
            let authority = afterScheme.prefix { $0 != "/" }
            url = String(afterScheme.dropFirst(authority.count))
            // `http://127.0.0.1:{port}/{host}/api/…` (the fake's form) or `https://{host}/api/…`.
            if !url.hasPrefix("/api/") {
                let host = url.dropFirst().prefix { $0 != "/" }
                guard FakeDataverseOrganization.canonicalHost(String(host)) == FakeDataverseOrganization.canonicalHost(setup.host) else {
                    throw DataverseError.invalidArgument("The URL '\(part.url)' is not of this organization.")
                }
                url = String(url.dropFirst(host.count + 1))
            } else if FakeDataverseOrganization.canonicalHost(String(authority)) != FakeDataverseOrganization.canonicalHost(setup.host) {
                throw DataverseError.invalidArgument("The URL '\(part.url)' is not of this organization.")
            }
        }
        var path = Substring(url)
        var query = ""
        if let mark = url.firstIndex(of: "?") {
            path = url[..<mark]
            query = String(url[url.index(after: mark)...])
        }
        if path.hasPrefix("/api/data/") {
            let rest = path.dropFirst("/api/data/".count)
            let version = rest.prefix { $0 != "/" }
            guard ["v9.0", "v9.1", "v9.2"].contains(version) else { throw DataverseError.resourceNotFound(String(version)) }
            path = rest.dropFirst(version.count)
        } else if path.hasPrefix("/") {
            throw DataverseError.resourceNotFound(String(path))
        }
        return Operation(
            method: part.method, segments: ODataPath.segments(path), query: FormDecoding.decode(query, plusIsSpace: false), headers: part.headers,
            body: part.body, contentID: part.contentID)
    }
}
