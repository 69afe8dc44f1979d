import Foundation

extension ActivityClassifier {
    /// Classifies one email: a signal per account it went to or came from, or the first noise rule it hit.
    ///
    /// Precedence: missing date, excluded sender, auto-submitted, bulk,
    /// no-reply sender, then (with excluded recipients dropped) internal-only,
    /// no selected participant in the required role, no account. A skip is
    /// blamed on the exclusion lists only when the message would have counted
    /// without them; otherwise the rule it hits with everyone kept is reported.
    public func classify(_ email: ActivityEmail) -> Classification<EmailSignal> {
        guard let sentAt = email.sentAt else { return .skipped(.missingDate) }
        let sender = Self.sender(of: email)
        if let sender, let rule = exclusion(of: sender) { return .skipped(rule) }
        if rules.autoSubmitted, email.autoSubmitted { return .skipped(.autoSubmitted) }
        if rules.bulk, email.bulk, !email.autoSubmitted { return .skipped(.bulk) }
        if rules.noReplySenders, let sender, NoReplyAddress.matches(sender) { return .skipped(.noReplySender) }

        let recipients = Self.distinctAddresses(email.to + email.cc + email.bcc)
        let index = ParticipantIndex(matcher: matcher, addresses: (sender.map { [$0] } ?? []) + recipients)
        let facts = EmailFacts(
            messageKey: Self.messageKey(of: email) ?? "", sentAt: sentAt,
            repliesTo: Self.distinctInOrder(email.inReplyTo + email.references), conversationID: email.conversationID
        )
        let (kept, exclusionRule) = droppingExcluded(recipients)
        let outcome = attribute(facts, sender: sender, recipients: kept, index: index)
        guard let exclusionRule, case .skipped = outcome else { return outcome }
        let unexcluded = attribute(facts, sender: sender, recipients: recipients, index: index)
        if case .skipped = unexcluded { return unexcluded }
        return .skipped(exclusionRule)
    }

    /// The sender matching uses: From, or the Sender header when From is missing; normalized.
    static func sender(of email: ActivityEmail) -> String? {
        EmailAddress.normalizeNonEmpty(email.from) ?? EmailAddress.normalizeNonEmpty(email.sender)
    }

    /// The direction rules of an email, on participants that passed the exclusion lists.
    private func attribute(
        _ facts: EmailFacts, sender: String?, recipients: [String], index: ParticipantIndex
    ) -> Classification<EmailSignal> {
        let everyone = (sender.map { [$0] } ?? []) + recipients
        if rules.internalOnly, !everyone.isEmpty, everyone.allSatisfy(index.isInternal) {
            return .skipped(.internalOnly)
        }
        let selectedRecipients = recipients.filter(index.isSelected)
        if let sender, index.isSelected(sender) {
            var byAccount: [String: [String]] = [:]
            for recipient in recipients {
                if let accountID = index.account(of: recipient) { byAccount[accountID, default: []].append(recipient) }
            }
            guard !byAccount.isEmpty else { return .skipped(.noAccount) }
            let ours = ByteOrder.sortedDistinct([sender] + selectedRecipients)
            return .signals(byAccount.keys.sorted(by: ByteOrder.less).map { accountID in
                facts.signal(.toAccount, accountID, ours, ByteOrder.sortedDistinct(byAccount[accountID]!))
            })
        }
        if let sender, let accountID = index.account(of: sender) {
            guard !selectedRecipients.isEmpty else { return .skipped(.noSelectedParticipant) }
            let theirs = [sender] + recipients.filter { index.account(of: $0) == accountID }
            return .signals([
                facts.signal(.fromAccount, accountID, ByteOrder.sortedDistinct(selectedRecipients), ByteOrder.sortedDistinct(theirs)),
            ])
        }
        // The sender is neither selected nor an account's: an unselected colleague, a stranger, or nobody.
        if let sender, index.isInternal(sender) { return .skipped(.noSelectedParticipant) }
        return .skipped(selectedRecipients.isEmpty ? .noSelectedParticipant : .noAccount)
    }

    /// Normalized, non-empty, distinct addresses in their first order.
    static func distinctAddresses(_ addresses: [String]) -> [String] {
        distinctInOrder(addresses.compactMap(EmailAddress.normalizeNonEmpty))
    }

    /// The distinct values in their first order.
    static func distinctInOrder(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }
}

/// The per-message facts every signal of one email shares.
private struct EmailFacts {
    var messageKey: String
    var sentAt: Date
    var repliesTo: [String]
    var conversationID: String?

    func signal(_ direction: Direction, _ accountID: String, _ ours: [String], _ theirs: [String]) -> EmailSignal {
        EmailSignal(
            messageKey: messageKey, sentAt: sentAt, direction: direction, accountID: accountID,
            internalParticipants: ours, accountParticipants: theirs, repliesTo: repliesTo, conversationID: conversationID
        )
    }
}
