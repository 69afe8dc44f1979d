import Engagement
import Foundation

/// A run of an environment's enrichment, with its steps.
public struct RunRecord: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable {
        case queued, running, succeeded, failed, cancelled
    }

    public enum Trigger: String, Sendable, Codable {
        /// The first run, some hours after consent.
        case first
        case schedule
        /// "Run now".
        case manual
        /// `rapport enrich`: an operator runs the pipeline in its own process.
        case command
    }

    /// One step's progress.
    public struct Step: Sendable, Codable, Equatable {
        public enum State: String, Sendable, Codable {
            case pending, running, succeeded, failed, skipped
        }

        public var step: RunStep
        public var state: State
        /// Figures of the step: mailboxes resolved, messages collected, signals matched, rows written…
        public var counts: [String: Int]
        public var startedAt: Date?
        public var finishedAt: Date?
        public var error: String?
    }

    public var id: UUID
    public var tenantID: UUID
    public var environmentID: UUID
    public var region: Region
    public var status: Status
    public var trigger: Trigger
    /// When the run may start; a retry's backoff moves it.
    public var scheduledFor: Date
    /// The end of the run's one-year window: its first scheduled time, kept through retries.
    public var asOf: Date
    public var attempts: Int
    public var leaseOwner: String?
    public var leaseExpiresAt: Date?
    public var createdAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?
    public var error: String?
    public var steps: [Step]
}
