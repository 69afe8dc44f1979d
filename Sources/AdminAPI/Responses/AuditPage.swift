import Platform

/// One page of the audit log.
struct AuditPage: Encodable {
    var events: [AuditEvent]
    /// Pass as `after` for the next page; null on the last page.
    var nextAfter: Int?
}
