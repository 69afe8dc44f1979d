/// Thrown inside an activity import to roll it back when a line was invalid and `skip_invalid` was not asked.
struct RejectedBatch: Error {}
