import Foundation
import Ingest
import Platform

/// The organization's accounts (`accountid`), read once per export the first time a row's account id is a GUID,
/// so that a row links to its Dataverse account only when that account exists (a bind to a missing one would
/// fail its whole batch).
actor AccountDirectory {
    let client: DataverseClient
    private var known: Set<UUID>?

    init(client: DataverseClient) {
        self.client = client
    }

    /// The account `accountID` names in the organization, or nil (not a GUID, or no such account).
    func account(named accountID: String) async throws -> UUID? {
        guard let id = UUID(uuidString: accountID) else { return nil }
        if known == nil { known = try await readAll() }
        return known?.contains(id) == true ? id : nil
    }

    private func readAll() async throws -> Set<UUID> {
        var ids: Set<UUID> = []
        var path: String? = "accounts?$select=accountid"
        let base = client.apiBase + "/"
        while let next = path {
            let response = try await client.require(.GET, next, headers: [("Prefer", "odata.maxpagesize=5000")])
            let object = (try? JSONParser.parse(response.body))?.objectValue
            for value in object?["value"]?.arrayValue ?? [] {
                if let id = value.objectValue?["accountid"]?.stringValue.flatMap(UUID.init(uuidString:)) { ids.insert(id) }
            }
            path = nil
            if let link = object?["@odata.nextLink"]?.stringValue {
                guard link.hasPrefix(base) else { throw DataverseError(.badResponse, "a nextLink points outside the organization: \(link)") }
                path = String(link.dropFirst(base.count))
            }
        }
        return ids
    }
}
