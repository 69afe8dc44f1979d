/// An invitee of a generated meeting and their answer.
public struct GeneratedAttendee: Sendable, Hashable {
    public var person: Participant
    /// ACCEPTED, TENTATIVE, DECLINED or NEEDS-ACTION.
    public var partstat: String
    /// REQ-PARTICIPANT, OPT-PARTICIPANT or NON-PARTICIPANT (rooms).
    public var role: String

    public var cutype: String { person.isRoom ? "ROOM" : "INDIVIDUAL" }
}
