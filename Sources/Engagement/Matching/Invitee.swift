/// One person invited to a meeting, as classification sees them: normalized address, and whether they declined.
struct Invitee: Hashable {
    var address: String
    var declined: Bool
}
