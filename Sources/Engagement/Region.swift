/// A processing region: the compliance boundary an environment's data stays inside.
public enum Region: String, Sendable, Codable, CaseIterable, Comparable {
    case uk
    case eu
    case na

    /// The region's full name, for pages and messages.
    public var displayName: String {
        switch self {
        case .uk: "United Kingdom"
        case .eu: "Europe"
        case .na: "North America"
        }
    }

    public static func < (lhs: Region, rhs: Region) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
