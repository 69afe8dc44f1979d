import FakeServiceKit
import Foundation
import Ingest

/// Routes a request to what serves it; a request's writes are one transaction.
extension OrganizationState {
    /// Answers a top-level request: `$batch`, or one operation whose writes are undone if it fails.
    mutating func respond(to operation: Operation, context: inout RequestContext) -> FakeDataverseResponse {
        if operation.segments == ["$batch"] { return batch(operation, context: &context) }
        var transaction = begin()
        do {
            let response = try execute(operation, context: &context, transaction: &transaction)
            commit(transaction, context: &context)
            return response
        } catch {
            rollback(transaction)
            if !transaction.isEmpty { context.counts.rolledBackRequests += 1 }
            return .error(error as? DataverseError ?? .unexpected("\(error)"))
        }
    }

    func commit(_ transaction: Transaction, context: inout RequestContext) {
        context.counts.created += transaction.created
        context.counts.updated += transaction.updated
        context.counts.deleted += transaction.deleted
    }

    /// One operation (a request or a `$batch` part).
    mutating func execute(_ operation: Operation, context: inout RequestContext, transaction: inout Transaction) throws -> FakeDataverseResponse {
        context.operations += 1
        guard let first = operation.segments.first else { return serviceDocument(context: context) }
        let (name, predicate) = ODataPath.split(first)
        switch name {
        case "$batch":
            throw DataverseError.invalidArgument("Batch requests can't contain other batch requests.")
        case "WhoAmI":
            guard operation.segments.count == 1, predicate == nil || predicate == "" else { throw DataverseError.resourceNotFound(first) }
            guard operation.method == "GET" else { throw DataverseError.methodNotAllowed(operation.method) }
            return whoAmI(context: context)
        case "EntityDefinitions":
            return try entityDefinitions(operation, predicate: predicate, context: &context, transaction: &transaction)
        case "RelationshipDefinitions":
            return try relationshipDefinitions(operation, predicate: predicate, context: &context, transaction: &transaction)
        case "$metadata":
            throw DataverseError(status: 501, code: "", message: "The fake does not serve the CSDL $metadata document.")
        default:
            return try records(operation, entitySet: name, predicate: predicate, context: &context, transaction: &transaction)
        }
    }

    /// `GET /api/data/v9.2/WhoAmI` (learn.microsoft.com/power-apps/developer/data-platform/webapi/reference/whoami).
    func whoAmI(context: RequestContext) -> FakeDataverseResponse {
        .json(
            JSONBytes.object([
                ("@odata.context", JSONBytes.string("\(context.serviceRoot)/$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse")),
                ("BusinessUnitId", JSONBytes.string(setup.businessUnitID.uuidString.lowercased())),
                ("UserId", JSONBytes.string(context.userID.uuidString.lowercased())),
                ("OrganizationId", JSONBytes.string(setup.organizationID.uuidString.lowercased())),
            ]))
    }

    /// The service document: the entity sets of the tables.
    func serviceDocument(context: RequestContext) -> FakeDataverseResponse {
        let sets = tables.values.map(\.entitySetName).sorted().map { name in
            JSONBytes.object([("name", JSONBytes.string(name)), ("kind", JSONBytes.string("EntitySet")), ("url", JSONBytes.string(name))])
        }
        return .json(JSONBytes.object([("@odata.context", JSONBytes.string("\(context.serviceRoot)/$metadata")), ("value", JSONBytes.array(sets))]))
    }
}
