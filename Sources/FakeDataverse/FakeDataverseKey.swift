import Foundation
import Ingest

/// `EntityKeyIndexStatus`: the key's index job (learn.microsoft.com/power-apps/developer/data-platform/webapi/reference/entitykeyindexstatus).
public enum FakeDataverseKeyStatus: String, Sendable {
    case pending = "Pending"
    case inProgress = "InProgress"
    case active = "Active"
    case failed = "Failed"
}

/// An alternate key of a table.
public struct FakeDataverseKey: Sendable {
    public let metadataID: UUID
    public let logicalName: String
    public let schemaName: String
    /// Column logical names, in the order given.
    public let attributes: [String]
    public let solution: String?
    /// The status as of the last read or use (reading the key through the API advances it).
    public internal(set) var status: FakeDataverseKeyStatus
    let displayName: JSONValue?
    let createdAt: Date
    /// Reads of the key through the Web API so far.
    var reads = 0

    init(schemaName: String, attributes: [String], solution: String?, displayName: JSONValue?, createdAt: Date, status: FakeDataverseKeyStatus = .pending) {
        self.metadataID = UUID()
        self.logicalName = schemaName.lowercased()
        self.schemaName = schemaName
        self.attributes = attributes
        self.solution = solution
        self.status = status
        self.displayName = displayName
        self.createdAt = createdAt
    }

    /// The status the index job has reached now (`Active` and `Failed` stay). With `.afterReads(N)` the first read
    /// sees `Pending`, the next ones `InProgress`, and the key is `Active` once it has been read N times.
    func progressed(_ activation: FakeDataverseSettings.KeyActivation, now: Date) -> FakeDataverseKeyStatus {
        if status == .failed || status == .active { return status }
        switch activation {
        case .immediately:
            return .active
        case .afterReads(let count):
            return reads >= count ? .active : reads >= 1 ? .inProgress : .pending
        case .afterDelay(let delay):
            let total = Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18
            let elapsed = now.timeIntervalSince(createdAt)
            return elapsed >= total ? .active : elapsed >= total / 2 ? .inProgress : .pending
        }
    }
}
