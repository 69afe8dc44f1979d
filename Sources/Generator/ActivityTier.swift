/// How busy an account is over the year.
public enum ActivityTier: String, Sendable, Hashable, Codable {
    /// Among the five with the most activity.
    case hot
    /// Activity through the year, skewed: a long tail.
    case active
    /// Activity only more than 90 days before the as-of time.
    case stale
    /// No activity at all.
    case inactive
}
