import Foundation

/// `$batch` requests of independent operations, and the statuses of their answers.
///
/// "Batch requests can contain up to 1000 individual requests"; each part is an
/// `application/http` request; with `Prefer: odata.continue-on-error` the batch
/// answers 200 and every part carries its own status, in order
/// (learn.microsoft.com/power-apps/developer/data-platform/webapi/execute-batch-operations-using-web-api).
enum DataverseBatch {
    static let maximumOperations = 1000

    /// A multipart body deleting each of `references` (relative to the Web API base), outside any change set.
    static func deletes(_ references: [String], boundary: String) -> [UInt8] {
        var text = ""
        for reference in references {
            text += "--\(boundary)\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n"
            text += "DELETE /api/data/v9.2/\(reference) HTTP/1.1\r\n\r\n"
        }
        text += "--\(boundary)--\r\n"
        return Array(text.utf8)
    }

    /// The statuses of the parts of a batch answer, in order (each part's `HTTP/1.1 {status} …` line).
    static func statuses(_ body: [UInt8]) -> [Int] {
        String(decoding: body, as: UTF8.self).split(whereSeparator: \.isNewline).compactMap { line -> Int? in
            guard line.hasPrefix("HTTP/1.1 ") else { return nil }
            return Int(line.dropFirst(9).prefix(3))
        }
    }

    /// The error body that follows the first part answering `status`, if any.
    static func firstError(_ body: [UInt8]) -> (status: Int, body: [UInt8])? {
        let text = String(decoding: body, as: UTF8.self)
        for line in text.split(whereSeparator: \.isNewline) where line.hasPrefix("HTTP/1.1 ") {
            guard let status = Int(line.dropFirst(9).prefix(3)), status >= 400, status != 404 else { continue }
            let after = text[line.endIndex...]
            let part = after.range(of: "\n--").map { after[..<$0.lowerBound] } ?? after
            if let open = part.firstIndex(of: "{"), let close = part.lastIndex(of: "}"), open < close {
                return (status, Array(part[open...close].utf8))
            }
            return (status, [])
        }
        return nil
    }
}
