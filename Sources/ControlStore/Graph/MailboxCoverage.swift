import Foundation

/// How much of a run's one-year window one selected mailbox's data covers, and why not all of it.
///
/// A folder whose round reached its deltaLink listed every item it holds (mail is read
/// without a filter, so no cap applies), so it covers the whole window. A round that did
/// not finish covers from its oldest item on; a refused or full mailbox covers nothing.
/// The mailbox covers what its least covered folder does.
public struct MailboxCoverage: Sendable, Codable, Equatable {
    public var address: String
    public var daysCovered: Int
    public var windowDays: Int
    /// Why coverage falls short of the window; nil when it does not.
    public var reason: String?

    public var isComplete: Bool { daysCovered >= windowDays }

    /// The coverage of every mailbox with an outcome or a folder in the run.
    public static func of(
        entries: [GraphRunMailboxStore.Entry], folders: [GraphRunMailboxStore.FolderEntry], windowStart: Date, asOf: Date
    ) -> [MailboxCoverage] {
        let window = max(1, Int((asOf.timeIntervalSince(windowStart) / 86_400).rounded()))
        func days(from start: Date) -> Int { max(0, min(window, Int((asOf.timeIntervalSince(start) / 86_400).rounded(.down)))) }
        let addresses = Set(entries.map(\.address)).union(folders.map(\.address)).sorted()
        return addresses.map { address in
            if let refused = entries.first(where: { $0.address == address && $0.state != .done }) {
                let reason: String
                switch refused.state {
                case .forbidden: reason = "Graph refused the mailbox (403)" + (refused.detail.map { ": \($0)" } ?? "")
                case .quotaExceeded: reason = "the mailbox is full (ErrorQuotaExceeded): its mail could not be read"
                case .notFound: reason = refused.detail ?? "no such mailbox"
                case .done: reason = ""
                }
                return MailboxCoverage(address: address, daysCovered: 0, windowDays: window, reason: reason)
            }
            var covered = window
            var reasons: [String] = []
            for folder in folders where folder.address == address {
                let folderDays: Int
                if folder.complete {
                    // A finished calendar round lists its whole range; a finished mail round everything the folder holds.
                    folderDays = window
                } else {
                    folderDays = folder.oldestItem.map(days(from:)) ?? 0
                    reasons.append("\(folder.folder) was not read to its end in this run")
                }
                covered = min(covered, folderDays)
            }
            return MailboxCoverage(address: address, daysCovered: covered, windowDays: window, reason: reasons.isEmpty ? nil : reasons.joined(separator: "; "))
        }
    }
}
