import Connectors
import Foundation
import Platform

/// Microsoft Graph as a run's activity source (issue 8).
///
/// Failures that need the admin (credentials refused, every mailbox forbidden,
/// a selection that no longer resolves) fail the run for good with Graph's
/// reason; throttling and faults that outlast the retries fail the attempt,
/// which the queue retries later from the stored links.
extension GraphCollector: ActivityCollector {
    public func collect(_ kind: CollectionKind, context: CollectionContext) async throws -> [String: Int] {
        do {
            return try await collect(
                kind == .email ? .email : .meetings, run: context.run, environment: context.environment, importer: context.importer,
                progress: context.progress)
        } catch let error as GraphError {
            let retryable = !(error.needsAdmin || error.code == .forbidden)
            throw RunFailure(error.message, retryable: retryable)
        }
    }
}
