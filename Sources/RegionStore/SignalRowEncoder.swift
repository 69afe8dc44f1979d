import Engagement
import Foundation
import Postgres

/// Encodes signals as COPY rows of `staging_signal`, every identifier replaced by its keyed hash.
///
/// Person keys are memoized: the same few thousand addresses recur in millions of messages.
/// Message and conversation keys recur only in the replies that follow soon after, so
/// their memo is small and starts over when full: memory stays flat however many
/// messages pass.
final class SignalRowEncoder {
    private let hasher: AddressHasher
    private var keys: [String: Int64] = [:]
    private var recentMessages: [String: Int64] = [:]
    static let recentMessageLimit = 100_000
    private var row: [UInt8] = []

    init(hasher: AddressHasher, tenant: UUID, environment: UUID) {
        self.hasher = hasher
        row.reserveCapacity(512)
    }

    func key(_ identifier: String) -> Int64 {
        if let known = keys[identifier] { return known }
        let value = hasher.key(identifier)
        if keys.count < 2_000_000 { keys[identifier] = value }
        return value
    }

    /// The key of a message id, remembered for the replies that follow.
    func messageKey(_ id: String) -> Int64 {
        recentKey("message:" + id)
    }

    /// A key remembered in the small memo of message and conversation ids, which starts over when full.
    private func recentKey(_ identifier: String) -> Int64 {
        if let known = recentMessages[identifier] { return known }
        let value = hasher.key(identifier)
        if recentMessages.count >= Self.recentMessageLimit { recentMessages.removeAll(keepingCapacity: true) }
        recentMessages[identifier] = value
        return value
    }

    /// The key `row(_: MeetingSignal)` stores for the occurrence, so a later cancellation finds it.
    func occurrenceKey(_ meeting: ActivityMeeting) -> Int64 {
        key("occurrence:" + ActivityClassifier.occurrenceKey(of: meeting))
    }

    func row(_ signal: EmailSignal) -> [UInt8] {
        row.removeAll(keepingCapacity: true)
        true.appendCopyText(to: &row)
        tab()
        messageKey(signal.messageKey).appendCopyText(to: &row)
        tab()
        signal.accountID.appendCopyText(to: &row)
        tab()
        signal.sentAt.appendCopyText(to: &row)
        tab()
        Optional<Date>.none.appendCopyText(to: &row)
        tab()
        (signal.direction == .toAccount).appendCopyText(to: &row)
        tab()
        appendKeys(signal.internalParticipants.map { key("person:" + $0) })
        tab()
        appendKeys(signal.accountParticipants.map { key("person:" + $0) })
        tab()
        appendKeys(signal.repliesTo.map(messageKey))
        tab()
        signal.conversationID.map { recentKey("conversation:" + $0) }.appendCopyText(to: &row)
        tab()
        appendKeys(domainKeys(signal.internalParticipants + signal.accountParticipants))
        row.append(UInt8(ascii: "\n"))
        return row
    }

    func row(_ signal: MeetingSignal) -> [UInt8] {
        row.removeAll(keepingCapacity: true)
        false.appendCopyText(to: &row)
        tab()
        hasher.key("occurrence:" + signal.occurrenceKey).appendCopyText(to: &row)
        tab()
        signal.accountID.appendCopyText(to: &row)
        tab()
        signal.start.appendCopyText(to: &row)
        tab()
        signal.end.appendCopyText(to: &row)
        tab()
        (signal.direction == .toAccount).appendCopyText(to: &row)
        tab()
        appendKeys(signal.internalParticipants.map { key("person:" + $0) })
        tab()
        appendKeys(signal.accountParticipants.map { key("person:" + $0) })
        tab()
        appendKeys([])
        tab()
        Optional<Int64>.none.appendCopyText(to: &row)
        tab()
        appendKeys(domainKeys(signal.internalParticipants + signal.accountParticipants))
        row.append(UInt8(ascii: "\n"))
        return row
    }

    /// The distinct domain keys of the addresses.
    func domainKeys(_ addresses: [String]) -> [Int64] {
        var keys: [Int64] = []
        for address in addresses {
            guard let at = address.lastIndex(of: "@") else { continue }
            let value = key("domain:" + address[address.index(after: at)...])
            if !keys.contains(value) { keys.append(value) }
        }
        return keys
    }

    private func tab() { row.append(UInt8(ascii: "\t")) }

    private func appendKeys(_ values: [Int64]) {
        row.append(UInt8(ascii: "{"))
        for (index, value) in values.enumerated() {
            if index > 0 { row.append(UInt8(ascii: ",")) }
            value.appendCopyText(to: &row)
        }
        row.append(UInt8(ascii: "}"))
    }
}
