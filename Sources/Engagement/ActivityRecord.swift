/// One email or one meeting occurrence, as the pipeline sees it after parsing.
public enum ActivityRecord: Sendable, Hashable {
    case email(ActivityEmail)
    case meeting(ActivityMeeting)
}
