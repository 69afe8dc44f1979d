import Platform

/// One segment: its size after each run and its members, paged.
struct SegmentPage: PageView {
    static let template = "segment"

    struct Member: Sendable {
        var accountID: String
        /// The account id as a path component.
        var accountQuery: String
        var name: String
        var score: Int
        var email: String
        var meeting: String

        init(_ member: SegmentMember) {
            accountID = member.accountID
            accountQuery = PageFormat.pathComponent(member.accountID)
            name = member.name
            score = member.engagementScore
            email = member.daysSinceLastEmail.map(String.init) ?? "–"
            meeting = member.daysSinceLastMeeting.map(String.init) ?? "–"
        }
    }

    var name: String
    var expression: String
    var environmentID: String
    var chart: String
    var total: Int
    var members: [Member]
    var previous: String?
    var next: String?
}
