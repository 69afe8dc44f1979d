import Platform

/// The environment's segments with their sizes, and the form for a new one.
struct SegmentsPage: PageView {
    static let template = "segments"

    struct Row: Sendable {
        var id: String
        var name: String
        var expression: String
        var readyMade: Bool
        var size: String

        init(_ segment: Segment) {
            id = segment.id.uuidString.lowercased()
            name = segment.name
            expression = segment.expression
            readyMade = segment.readyMade
            size = segment.size.map(String.init) ?? "–"
        }
    }

    var environmentName: String
    var environmentID: String
    var csrf: String
    /// What a refused form sent, to edit again.
    var draftName: String
    var draftExpression: String
    var segments: [Row]
}
