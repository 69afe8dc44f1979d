import Engagement
import Foundation
import Postgres

/// The Graph connector's resume points and calendar item map, in the environment's region database.
///
/// Written after the records of a page are committed (a second, short
/// transaction): a crash in between only makes the next attempt fetch that
/// page again, and the importer's dedupe makes the repeat harmless.
public struct GraphSyncStore: Sendable {
    /// The environment's slice of its region database.
    public let slice: EnvironmentDatabase
    let hasher: AddressHasher
    var database: RegionDatabase { slice.database }
    public var tenant: UUID { slice.tenant }
    public var environment: UUID { slice.environment }

    public init(_ slice: EnvironmentDatabase, hasher: AddressHasher) {
        self.slice = slice
        self.hasher = hasher
    }

    /// Where one folder of one mailbox continues.
    public struct ResumePoint: Sendable, Equatable {
        public var link: String
        /// A deltaLink: the round finished. Otherwise a nextLink in the middle of one.
        public var complete: Bool
        /// The run that stored it.
        public var runID: UUID
        public var rangeStart: Date
        public var rangeEnd: Date?
        /// The oldest and newest item listed since the folder's last full round started.
        public var oldestItem: Date?
        public var newestItem: Date?

        public init(link: String, complete: Bool, runID: UUID, rangeStart: Date, rangeEnd: Date?, oldestItem: Date? = nil, newestItem: Date? = nil) {
            self.link = link
            self.complete = complete
            self.runID = runID
            self.rangeStart = rangeStart
            self.rangeEnd = rangeEnd
            self.oldestItem = oldestItem
            self.newestItem = newestItem
        }
    }

    /// A calendar item seen in a mailbox: its Graph id and the occurrence it is.
    public struct EventItem: Sendable {
        public var mailbox: String
        public var itemID: String
        public var meeting: ActivityMeeting
        /// The mailbox owner is the organizer.
        public var organized: Bool

        public init(mailbox: String, itemID: String, meeting: ActivityMeeting, organized: Bool) {
            self.mailbox = mailbox
            self.itemID = itemID
            self.meeting = meeting
            self.organized = organized
        }
    }

    /// What a batch of committed pages leaves behind.
    public struct PageOutcome: Sendable {
        public var mailbox: String
        public var folder: GraphFolder
        /// The link after the page (nil: leave the stored one).
        public var resume: ResumePoint?
        public var eventItems: [EventItem]
        /// Graph ids marked `@removed` in a calendar.
        public var removedEventIDs: [String]
        /// The first page of a full round: the folder's oldest and newest item start again from this page's.
        public var startsRound: Bool

        public init(
            mailbox: String, folder: GraphFolder, resume: ResumePoint?, eventItems: [EventItem] = [], removedEventIDs: [String] = [],
            startsRound: Bool = false
        ) {
            self.mailbox = mailbox
            self.folder = folder
            self.resume = resume
            self.eventItems = eventItems
            self.removedEventIDs = removedEventIDs
            self.startsRound = startsRound
        }
    }

    /// Every stored resume point of the environment, by mailbox id and folder.
    public func resumePoints() async throws -> [String: [GraphFolder: ResumePoint]] {
        try await database.withTenant(tenant) { connection in
            var points: [String: [GraphFolder: ResumePoint]] = [:]
            for row in try await connection.query(
                """
                SELECT mailbox_id, folder, \(ResumePoint.columns) FROM graph_sync_state
                WHERE environment_id = \(environment)
                """)
            {
                guard let folder = GraphFolder(rawValue: try row.decode(column: "folder")) else { continue }
                points[try row.decode(column: "mailbox_id"), default: [:]][folder] = try ResumePoint(row: row)
            }
            return points
        }
    }

    /// Stores resume points and the calendar item map, and applies calendar removals and moves.
    ///
    /// Returns how many meeting signals a removal from the organizer's calendar or a move deleted.
    @discardableResult
    public func record(_ outcomes: [PageOutcome], at moment: Date) async throws -> Int {
        guard !outcomes.isEmpty else { return 0 }
        // The calendar items of the batch, the last sighting of each (mailbox, item) winning.
        var items: [String: (mailbox: String, item: Int64, occurrence: Int64, organized: Int32)] = [:]
        var removedMailboxes: [String] = []
        var removedKeys: [Int64] = []
        for outcome in outcomes {
            for item in outcome.eventItems {
                let itemKey = hasher.key("graph-item:" + item.itemID)
                let occurrence = hasher.key("occurrence:" + ActivityClassifier.occurrenceKey(of: item.meeting))
                items["\(item.mailbox)|\(itemKey)"] = (item.mailbox, itemKey, occurrence, item.organized ? 1 : 0)
            }
            for id in outcome.removedEventIDs {
                removedMailboxes.append(outcome.mailbox)
                removedKeys.append(hasher.key("graph-item:" + id))
            }
        }
        let batch = Array(items.values)
        return try await database.withTenant(tenant) { connection in
            var dropped: [Int64] = []
            if !batch.isEmpty {
                let mailboxes = batch.map(\.mailbox)
                let keys = batch.map(\.item)
                let occurrences = batch.map(\.occurrence)
                let organized = batch.map(\.organized)
                // An item that now is another occurrence (a single event moved) drops the one it was.
                dropped += try await connection.query(
                    """
                    SELECT g.occurrence_key FROM graph_event_item g
                    JOIN unnest(\(mailboxes)::text[], \(keys)::bigint[], \(occurrences)::bigint[]) AS i(mailbox_id, item_key, occurrence_key)
                      ON g.mailbox_id = i.mailbox_id AND g.item_key = i.item_key
                    WHERE g.environment_id = \(environment) AND g.occurrence_key <> i.occurrence_key
                    """
                ).decode(Int64.self)
                try await connection.execute(
                    """
                    INSERT INTO graph_event_item (tenant_id, environment_id, mailbox_id, item_key, occurrence_key, organized)
                    SELECT \(tenant), \(environment), i.mailbox_id, i.item_key, i.occurrence_key, i.organized <> 0
                    FROM unnest(\(mailboxes)::text[], \(keys)::bigint[], \(occurrences)::bigint[], \(organized)::int[])
                         AS i(mailbox_id, item_key, occurrence_key, organized)
                    ON CONFLICT (tenant_id, environment_id, mailbox_id, item_key)
                    DO UPDATE SET occurrence_key = excluded.occurrence_key, organized = excluded.organized
                    """)
            }
            if !removedKeys.isEmpty {
                // Only the organizer's calendar speaks for the meeting; an attendee may just have deleted their copy.
                dropped += try await connection.query(
                    """
                    DELETE FROM graph_event_item g USING unnest(\(removedMailboxes)::text[], \(removedKeys)::bigint[]) AS r(mailbox_id, item_key)
                    WHERE g.environment_id = \(environment) AND g.mailbox_id = r.mailbox_id AND g.item_key = r.item_key AND g.organized
                    RETURNING g.occurrence_key
                    """
                ).decode(Int64.self)
                try await connection.execute(
                    """
                    DELETE FROM graph_event_item g USING unnest(\(removedMailboxes)::text[], \(removedKeys)::bigint[]) AS r(mailbox_id, item_key)
                    WHERE g.environment_id = \(environment) AND g.mailbox_id = r.mailbox_id AND g.item_key = r.item_key
                    """)
            }
            for outcome in outcomes {
                guard let resume = outcome.resume else { continue }
                try await connection.execute(
                    """
                    INSERT INTO graph_sync_state (tenant_id, environment_id, mailbox_id, folder, link, complete, run_id, range_start, range_end,
                                                  oldest_item, newest_item, updated_at)
                    VALUES (\(tenant), \(environment), \(outcome.mailbox), \(outcome.folder.rawValue), \(resume.link), \(resume.complete),
                            \(resume.runID), \(resume.rangeStart), \(resume.rangeEnd), \(resume.oldestItem), \(resume.newestItem), \(moment))
                    ON CONFLICT (tenant_id, environment_id, mailbox_id, folder) DO UPDATE
                    SET link = excluded.link, complete = excluded.complete, run_id = excluded.run_id, range_start = excluded.range_start,
                        range_end = excluded.range_end, updated_at = excluded.updated_at,
                        oldest_item = CASE WHEN \(outcome.startsRound) THEN excluded.oldest_item
                                           ELSE least(graph_sync_state.oldest_item, excluded.oldest_item) END,
                        newest_item = CASE WHEN \(outcome.startsRound) THEN excluded.newest_item
                                           ELSE greatest(graph_sync_state.newest_item, excluded.newest_item) END
                    """)
            }
            guard !dropped.isEmpty else { return 0 }
            return try await connection.execute(
                "DELETE FROM meeting_signal WHERE environment_id = \(environment) AND occurrence_key = ANY(\(dropped))")
        }
    }

    /// The occurrence keys (`ActivityClassifier.occurrenceKey`) among `meetings` whose organizer's copy is on record:
    /// a selected mailbox organizes them and its calendar has been read.
    public func occurrencesWithOrganizerCopy(_ meetings: [ActivityMeeting]) async throws -> Set<String> {
        guard !meetings.isEmpty else { return [] }
        var byHash: [Int64: String] = [:]
        for meeting in meetings {
            let key = ActivityClassifier.occurrenceKey(of: meeting)
            byHash[hasher.key("occurrence:" + key)] = key
        }
        let hashes = Array(byHash.keys)
        return try await database.withTenant(tenant, snapshot: true) { connection in
            let found = try await connection.query(
                """
                SELECT DISTINCT occurrence_key FROM graph_event_item
                WHERE environment_id = \(environment) AND organized AND occurrence_key = ANY(\(hashes))
                """
            ).decode(Int64.self)
            return Set(found.compactMap { byHash[$0] })
        }
    }

    /// Deletes the meeting signals of these occurrences: their organizer's copy is about to be imported in their place.
    @discardableResult
    public func clearMeetingSignals(of meetings: [ActivityMeeting]) async throws -> Int {
        guard !meetings.isEmpty else { return 0 }
        let hashes = Array(Set(meetings.map { hasher.key("occurrence:" + ActivityClassifier.occurrenceKey(of: $0)) }))
        return try await database.withTenant(tenant) { connection in
            try await connection.execute("DELETE FROM meeting_signal WHERE environment_id = \(environment) AND occurrence_key = ANY(\(hashes))")
        }
    }

    /// Forgets every resume point of the environment, so the next run syncs every folder from scratch
    /// (its links point at a Graph that is gone, such as an earlier `rapport-dev demo`'s fake). Returns how many.
    @discardableResult
    public func resetAll() async throws -> Int {
        try await database.withTenant(tenant) { connection in
            try await connection.execute("DELETE FROM graph_sync_state WHERE environment_id = \(environment)")
        }
    }

    /// Forgets a folder's resume point (a 410: the next request starts a full sync).
    public func reset(mailbox: String, folder: GraphFolder) async throws {
        _ = try await database.withTenant(tenant) { connection in
            try await connection.execute(
                """
                DELETE FROM graph_sync_state
                WHERE environment_id = \(environment) AND mailbox_id = \(mailbox) AND folder = \(folder.rawValue)
                """)
        }
    }
}
