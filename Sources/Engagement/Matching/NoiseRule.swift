/// Why an email or meeting was left out; every skip is counted per rule in a run's figures.
public enum NoiseRule: String, Sendable, Codable, CaseIterable {
    /// Only internal people took part.
    case internalOnly = "internal_only"
    /// List or bulk mail (List-Id, List-Unsubscribe, Precedence bulk/list/junk).
    case bulk
    /// Sent by a no-reply, mailer-daemon or postmaster address.
    case noReplySender = "no_reply_sender"
    /// Auto-Submitted other than `no` (auto-replies, notifications).
    case autoSubmitted = "auto_submitted"
    /// A cancelled meeting or cancelled occurrence.
    case cancelledMeeting = "cancelled_meeting"
    /// A meeting longer than the configured limit (24 hours by default): a data error, not time spent together.
    case implausibleDuration = "implausible_duration"
    /// More attendees than the configured limit (50 by default).
    case largeMeeting = "large_meeting"
    /// Every account attendee declined.
    case declinedMeeting = "declined_meeting"
    /// A participant address is on the exclusion list.
    case excludedAddress = "excluded_address"
    /// A participant domain is on the exclusion list.
    case excludedDomain = "excluded_domain"
    /// No participant belongs to any account (not noise, but nothing to attribute).
    case noAccount = "no_account"
    /// No selected address took part in the required role (sender/recipient, organizer/attendee).
    case noSelectedParticipant = "no_selected_participant"
    /// The message has no date, so it cannot be placed in a period.
    case missingDate = "missing_date"
}
