import FakeServiceKit
import Foundation
import Ingest

/// `RelationshipDefinitions`: one-to-many relationships, each creating its lookup column by deep insert
/// (learn.microsoft.com/power-apps/developer/data-platform/webapi/create-update-entity-relationships-using-web-api).
extension OrganizationState {
    mutating func relationshipDefinitions(
        _ operation: Operation, predicate: String?, context: inout RequestContext, transaction: inout Transaction
    ) throws -> FakeDataverseResponse {
        guard operation.segments.count == 1 else { throw DataverseError.resourceNotFound(operation.segments[1]) }
        switch (operation.method, predicate) {
        case ("POST", nil):
            return try createRelationship(operation, context: &context)
        case ("GET", nil):
            let query = try MetadataQuery.parse(operation.query, known: MetadataJSON.relationshipProperties, type: "RelationshipMetadataBase", allowsExpand: false)
            let items = relationships.values.sorted { $0.schemaName < $1.schemaName }.map(MetadataJSON.relationship)
                .filter { MetadataQuery.matches($0, filter: query.filter) }.map { MetadataQuery.selected($0, query.select) }
            return collection(items, context: "\(context.serviceRoot)/$metadata#RelationshipDefinitions\(query.contextSuffix)")
        case ("GET", let predicate?):
            let relationship = try relationshipAddressed(predicate)
            var object = MetadataJSON.relationship(relationship)
            object.members.insert(("@odata.context", .string("\(context.serviceRoot)/$metadata#RelationshipDefinitions/$entity")), at: 0)
            return .json(JSONBytes.value(.object(object)))
        default:
            throw DataverseError.methodNotAllowed(operation.method)
        }
    }

    func relationshipAddressed(_ predicate: String) throws -> RelationshipDefinition {
        guard let key = KeyPredicate.parse(predicate), key.parts.count == 1 else {
            throw DataverseError.uri("The key '\(predicate)' of RelationshipDefinitions is not valid.")
        }
        let part = key.parts[0]
        let found: RelationshipDefinition?
        switch (part.name, part.literal) {
        case ("SchemaName", .quoted(let name)): found = relationships[name.lowercased()]
        case (nil, .bare(let text)), ("MetadataId", .bare(let text)): found = relationships.values.first { $0.metadataID == UUID(uuidString: text) }
        default: throw DataverseError.uri("The key '\(predicate)' of RelationshipDefinitions is not valid.")
        }
        guard let found else { throw DataverseError.metadataNotFound("a relationship \(predicate)") }
        return found
    }

    mutating func createRelationship(_ operation: Operation, context: inout RequestContext) throws -> FakeDataverseResponse {
        let body = try operation.object(table: "RelationshipMetadataBase")
        let type = MetadataValidation.typeName(body["@odata.type"])
        guard type == "OneToManyRelationshipMetadata" else {
            if type == "ManyToManyRelationshipMetadata" {
                throw DataverseError(status: 501, code: "", message: "The fake does not model many-to-many relationships.")
            }
            throw DataverseError.invalidArgument("You must include the @odata.type Microsoft.Dynamics.CRM.OneToManyRelationshipMetadata.")
        }
        let schemaName = try MetadataValidation.schemaName(body["SchemaName"], prefix: setup.publisherPrefix, type: "Relationship")
        guard relationships[schemaName.lowercased()] == nil else { throw DataverseError.duplicateName(schemaName) }
        guard let referencedName = body["ReferencedEntity"]?.stringValue, let referenced = tables[referencedName] else {
            throw DataverseError.metadataNotFound("the ReferencedEntity '\(body["ReferencedEntity"]?.stringValue ?? "")'")
        }
        guard let referencingName = body["ReferencingEntity"]?.stringValue, let referencing = tables[referencingName] else {
            throw DataverseError.metadataNotFound("the ReferencingEntity '\(body["ReferencingEntity"]?.stringValue ?? "")'")
        }
        if let attribute = body["ReferencedAttribute"]?.stringValue, attribute != referenced.primaryIdAttribute {
            throw DataverseError.invalidArgument("ReferencedAttribute must be the primary key of \(referenced.logicalName) ('\(referenced.primaryIdAttribute)').")
        }
        guard let lookup = body["Lookup"]?.objectValue else {
            throw DataverseError.invalidArgument("The Lookup property (a LookupAttributeMetadata) is required: the lookup column is created with the relationship.")
        }
        if let lookupType = MetadataValidation.typeName(lookup["@odata.type"]), lookupType != "LookupAttributeMetadata" {
            throw DataverseError.invalidArgument("The Lookup must be a Microsoft.Dynamics.CRM.LookupAttributeMetadata, not \(lookupType).")
        }
        if let attributeType = lookup["AttributeType"]?.stringValue, attributeType != "Lookup" {
            throw DataverseError.invalidArgument("The Lookup's AttributeType must be Lookup.")
        }
        let lookupSchema = try MetadataValidation.schemaName(lookup["SchemaName"], prefix: setup.publisherPrefix, type: "Attribute")
        let lookupName = lookupSchema.lowercased()
        guard referencing.column(lookupName) == nil else { throw DataverseError.duplicateName(lookupSchema) }
        let navigation = body["ReferencingEntityNavigationPropertyName"]?.stringValue ?? lookupSchema
        guard referencing.lookup(navigation: navigation) == nil else { throw DataverseError.duplicateName(navigation) }
        let deleteBehavior = body["CascadeConfiguration"]?.objectValue?["Delete"]?.stringValue ?? "RemoveLink"
        guard ["Cascade", "RemoveLink", "Restrict"].contains(deleteBehavior) else {
            throw DataverseError.invalidArgument("CascadeConfiguration Delete '\(deleteBehavior)' is not valid: use Cascade, RemoveLink or Restrict.")
        }
        let solution = operation.header("MSCRM.SolutionUniqueName")
        let column = FakeDataverseColumn(
            logicalName: lookupName, schemaName: lookupSchema, type: .lookup(target: referenced.logicalName), navigationProperty: navigation,
            solution: solution, displayName: try MetadataValidation.label(lookup["DisplayName"], property: "DisplayName", required: false),
            description: try MetadataValidation.label(lookup["Description"], property: "Description", required: false),
            requiredLevel: lookup["RequiredLevel"])
        let relationship = RelationshipDefinition(
            schemaName: schemaName, referencedEntity: referenced.logicalName, referencedAttribute: referenced.primaryIdAttribute,
            referencingEntity: referencing.logicalName, referencingAttribute: lookupName, referencingNavigationProperty: navigation,
            referencedNavigationProperty: body["ReferencedEntityNavigationPropertyName"]?.stringValue ?? schemaName, deleteBehavior: deleteBehavior,
            cascadeConfiguration: body["CascadeConfiguration"], solution: solution)
        add(column, to: referencing.logicalName)
        relationships[schemaName.lowercased()] = relationship
        return .noContent(headers: [("OData-EntityId", "\(context.serviceRoot)/RelationshipDefinitions(\(relationship.metadataID.uuidString.lowercased()))")])
    }

    func listRelationships(of table: FakeDataverseTable, manyToOne: Bool, _ operation: Operation, context: RequestContext) throws -> FakeDataverseResponse {
        let query = try MetadataQuery.parse(operation.query, known: MetadataJSON.relationshipProperties, type: "OneToManyRelationshipMetadata", allowsExpand: false)
        let items = relationships.values.filter { (manyToOne ? $0.referencingEntity : $0.referencedEntity) == table.logicalName }
            .sorted { $0.schemaName < $1.schemaName }.map(MetadataJSON.relationship)
            .filter { MetadataQuery.matches($0, filter: query.filter) }.map { MetadataQuery.selected($0, query.select) }
        let name = manyToOne ? "ManyToOneRelationships" : "OneToManyRelationships"
        return collection(items, context: "\(context.serviceRoot)/$metadata#EntityDefinitions('\(table.metadataID.uuidString.lowercased())')/\(name)\(query.contextSuffix)")
    }
}
