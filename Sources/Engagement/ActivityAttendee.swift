/// One invitee of a meeting, with the iCalendar participation parameters.
///
/// Values are upper-case iCalendar tokens (`ACCEPTED`, `REQ-PARTICIPANT`,
/// `INDIVIDUAL`, ...); nil where the source does not say.
public struct ActivityAttendee: Sendable, Hashable {
    public var address: String
    public var partstat: String?
    public var role: String?
    public var cutype: String?

    public init(address: String, partstat: String? = nil, role: String? = nil, cutype: String? = nil) {
        self.address = address
        self.partstat = partstat
        self.role = role
        self.cutype = cutype
    }
}
