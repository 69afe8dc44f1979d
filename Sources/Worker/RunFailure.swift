import Connectors
import Postgres
import Platform

/// Why a run step failed, and whether trying again could help.
public struct RunFailure: Error, Sendable, CustomStringConvertible {
    public var message: String
    /// False for failures that another attempt cannot fix (prerequisites, consent, wrong region).
    public var retryable: Bool

    public init(_ message: String, retryable: Bool) {
        self.message = message
        self.retryable = retryable
    }

    public var description: String { message }

    /// What a run's steps and record show for `error`: Rapport's own words.
    ///
    /// Viewers read run steps, so a database's message (which can quote schema
    /// or values) never appears there; the worker's log keeps the full error.
    public static func message(for error: any Error) -> String {
        switch error {
        case let failure as RunFailure:
            return failure.message
        case let error as ServiceError:
            return error.message
        case let error as GraphError:
            return error.message
        case let error as DataverseError:
            return error.message
        case let error as PostgresError:
            switch error.code {
            case .connectionFailed, .connectionClosed, .poolTimeout, .poolClosed:
                return "the region database could not be reached; the run is tried again"
            default:
                let state = error.sqlState.map { " (SQLSTATE \($0))" } ?? ""
                return "a database statement failed\(state); the worker's log has the details"
            }
        case is CancellationError:
            return "the run was interrupted"
        default:
            return "an unexpected \(type(of: error)) stopped the run; the worker's log has the details"
        }
    }
}
