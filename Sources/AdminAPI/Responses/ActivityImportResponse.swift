import Platform

/// What an activity batch stored, and how many invalid lines `skip_invalid` passed over.
struct ActivityImportResponse: Encodable {
    var report: ImportReport
    var skippedLines: Int
}
