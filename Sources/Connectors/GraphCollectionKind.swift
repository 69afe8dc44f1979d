import Platform

/// What a collection fetches: mail (Inbox and Sent Items) or the calendar.
public enum GraphCollectionKind: String, Sendable {
    case email
    case meetings

    var folders: [GraphFolder] {
        switch self {
        case .email: GraphFolder.mail
        case .meetings: [.calendar]
        }
    }
}
