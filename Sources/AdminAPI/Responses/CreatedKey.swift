import Platform

/// A key as returned once at creation, secret included.
struct CreatedKey: Encodable {
    var principal: Principal?
    var key: KeyRecord
    /// The whole key; it is not stored and cannot be shown again.
    var secret: String
}
