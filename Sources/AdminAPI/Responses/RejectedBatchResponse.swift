import Platform

/// The 400 of an activity batch refused whole: the error shape plus each bad line.
struct RejectedBatchResponse: Encodable {
    struct Detail: Encodable {
        var code: String
        var message: String
        var field: String
    }

    var error: Detail
    var lines: [ImportReport.Problem]
}
