import Foundation

extension GraphRunMailboxStore {
    /// How one folder of one mailbox was read in a run (an attempt resumed adds to it).
    public struct FolderEntry: Sendable, Codable, Equatable {
        public var address: String
        /// `inbox`, `sentitems` or `calendar`.
        public var folder: String
        /// The round reached its deltaLink: every item of the folder (mail) or of the range (calendar) was listed.
        public var complete: Bool
        /// The round started from scratch (first sync, or the delta state had expired).
        public var fullSync: Bool
        public var items: Int
        public var pages: Int
        /// Times the folder was synced from scratch because its delta state had expired.
        public var resyncs: Int
        /// Graph's code for the expired state (`syncStateNotFound`, or the HTTP status).
        public var resyncReason: String?
        /// Requests answered 429, 503 or 504 and waited out.
        public var throttled: Int
        /// The oldest and newest item listed since the folder's last full round started.
        public var oldestItem: Date?
        public var newestItem: Date?
        public var updatedAt: Date

        public init(
            address: String, folder: String, complete: Bool, fullSync: Bool, items: Int, pages: Int, resyncs: Int, resyncReason: String?,
            throttled: Int, oldestItem: Date?, newestItem: Date?, updatedAt: Date
        ) {
            self.address = address
            self.folder = folder
            self.complete = complete
            self.fullSync = fullSync
            self.items = items
            self.pages = pages
            self.resyncs = resyncs
            self.resyncReason = resyncReason
            self.throttled = throttled
            self.oldestItem = oldestItem
            self.newestItem = newestItem
            self.updatedAt = updatedAt
        }
    }
}
