import Connectors
import Foundation
import Platform

/// A system a run writes its published result to (the customer's Dataverse, later others).
///
/// An export runs after publish and never un-publishes: when it fails, its step
/// is failed with the system's reason, the run still succeeds, and the next
/// run sends what is still missing (an exporter remembers what was accepted).
public protocol ResultExporter: Sendable {
    /// Whether this exporter serves the environment (e.g. it has a Dataverse organization attached).
    func serves(_ environment: ControlStore.Environment) async throws -> Bool

    /// Exports the environment's published result; returns the figures for the progress pane.
    func export(_ environment: ControlStore.Environment, progress: @escaping @Sendable ([String: Int]) async -> Void) async throws -> [String: Int]
}

extension DataverseConnector: ResultExporter {
    public func export(_ environment: ControlStore.Environment, progress: @escaping @Sendable ([String: Int]) async -> Void) async throws -> [String: Int] {
        try await export(environment, full: false, progress: progress)
    }
}
