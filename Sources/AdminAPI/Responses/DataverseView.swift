import Platform

/// The environment's current Dataverse attachment and every earlier one.
struct DataverseView: Encodable {
    var current: DataverseAttachment?
    var history: [DataverseAttachment]
}
