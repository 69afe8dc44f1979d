/// Recognizes machine senders: no-reply, do-not-reply, mailer-daemon, postmaster and bounce addresses.
///
/// The local part (before any `+` tag) is split at `.`, `-` and `_`; the
/// address is a machine sender when a run of consecutive pieces spells one of
/// `words` (`no-reply`, `noreply`, `no_reply`, `notifications-noreply`,
/// `do.not.reply`, `mailer-daemon`, `bounces+abc`, ...). Case-insensitive.
enum NoReplyAddress {
    static let words: Set<String> = ["noreply", "donotreply", "mailerdaemon", "postmaster", "bounce", "bounces"]

    /// True when the address's local part names a machine sender.
    static func matches(_ address: String) -> Bool {
        let local = EmailAddress.localPart(of: EmailAddress.normalize(address))
        let untagged = local.split(separator: "+", maxSplits: 1, omittingEmptySubsequences: false).first ?? local
        let pieces = untagged.split(whereSeparator: { $0 == "." || $0 == "-" || $0 == "_" })
        for start in pieces.indices {
            var run = ""
            for piece in pieces[start...] {
                run += piece
                if words.contains(run) { return true }
                if run.count >= 12 { break }
            }
        }
        return false
    }
}
