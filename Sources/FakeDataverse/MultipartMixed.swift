import FakeServiceKit
import Foundation

/// One request inside a `$batch`, as written in its `application/http` part.
struct BatchPart {
    var method: String
    /// As written: relative (`/api/data/v9.2/…`), absolute, or a `$n` reference.
    var url: String
    var headers: [(name: String, value: String)]
    /// The body, parsed while the batch is read (outside the store's lock).
    var body: Operation.Body
    var contentID: String?
}

/// A parsed `$batch` body: requests and change sets in order.
struct BatchRequest {
    enum Item {
        case request(BatchPart)
        case changeSet([BatchPart])
    }

    var items: [Item]

    /// Operations in total, change-set parts included.
    var operationCount: Int {
        items.reduce(0) { count, item in
            switch item {
            case .request: count + 1
            case .changeSet(let parts): count + parts.count
            }
        }
    }
}

/// Reads and writes `multipart/mixed` bodies as the `$batch` documentation shows them
/// (learn.microsoft.com/power-apps/developer/data-platform/webapi/execute-batch-operations-using-web-api).
enum MultipartMixed {
    struct Failure: Error {
        var message: String
    }

    /// The `boundary` parameter of a `multipart/mixed` content type (quoted or not).
    static func boundary(ofContentType contentType: String) -> String? {
        let parts = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.first?.lowercased() == "multipart/mixed" else { return nil }
        for parameter in parts.dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == "boundary" else { continue }
            var value = pair[1]
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value.isEmpty ? nil : value
        }
        return nil
    }

    /// The parts between `--boundary` delimiters: each part's headers and content.
    static func parts(_ body: ArraySlice<UInt8>, boundary: String) throws(Failure) -> [(headers: [(name: String, value: String)], content: ArraySlice<UInt8>)] {
        let delimiter = Array("--\(boundary)".utf8)
        var starts: [(start: Int, end: Int, closing: Bool)] = []
        var index = body.startIndex
        while let found = find(delimiter, in: body, from: index) {
            let atLineStart = found == body.startIndex || body[found - 1] == 0x0A
            let after = found + delimiter.count
            index = after
            guard atLineStart else { continue }
            let closing = after + 1 < body.endIndex && body[after] == UInt8(ascii: "-") && body[after + 1] == UInt8(ascii: "-")
            // The delimiter line ends at its line break (transport padding allowed).
            var lineEnd = after
            while lineEnd < body.endIndex, body[lineEnd] != 0x0A { lineEnd += 1 }
            starts.append((found, min(lineEnd + 1, body.endIndex), closing))
            if closing { break }
        }
        guard let last = starts.last, last.closing else { throw Failure(message: "The multipart body has no closing delimiter '--\(boundary)--'.") }
        var result: [(headers: [(name: String, value: String)], content: ArraySlice<UInt8>)] = []
        for (current, next) in zip(starts, starts.dropFirst()) {
            // The line break before the next delimiter belongs to the delimiter.
            var end = next.start
            if end > current.end, body[end - 1] == 0x0A { end -= 1 }
            if end > current.end, body[end - 1] == 0x0D { end -= 1 }
            let (headers, content) = headersAndContent(body[current.end..<max(end, current.end)])
            result.append((headers, content))
        }
        return result
    }

    /// Splits header lines from what follows the first empty line.
    static func headersAndContent(_ bytes: ArraySlice<UInt8>) -> ([(name: String, value: String)], ArraySlice<UInt8>) {
        var headers: [(name: String, value: String)] = []
        var index = bytes.startIndex
        while index < bytes.endIndex {
            var lineEnd = index
            while lineEnd < bytes.endIndex, bytes[lineEnd] != 0x0A { lineEnd += 1 }
            var contentEnd = lineEnd
            if contentEnd > index, bytes[contentEnd - 1] == 0x0D { contentEnd -= 1 }
            let line = String(decoding: bytes[index..<contentEnd], as: UTF8.self)
            index = min(lineEnd + 1, bytes.endIndex)
            if line.isEmpty { break }
            if let colon = line.firstIndex(of: ":") {
                headers.append(
                    (String(line[..<colon]).trimmingCharacters(in: .whitespaces), String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)))
            }
        }
        return (headers, bytes[index...])
    }

    static func find(_ needle: [UInt8], in haystack: ArraySlice<UInt8>, from start: Int) -> Int? {
        guard let first = needle.first, haystack.endIndex - start >= needle.count else { return nil }
        var index = start
        let last = haystack.endIndex - needle.count
        while index <= last {
            if haystack[index] == first {
                var matched = true
                for offset in 1..<needle.count where haystack[index + offset] != needle[offset] {
                    matched = false
                    break
                }
                if matched { return index }
            }
            index += 1
        }
        return nil
    }

    /// Parses a `$batch` body.
    static func batch(_ body: [UInt8], contentType: String) throws(Failure) -> BatchRequest {
        guard let boundary = boundary(ofContentType: contentType) else {
            throw Failure(message: "The $batch request must have the content type multipart/mixed with a boundary.")
        }
        var items: [BatchRequest.Item] = []
        for part in try parts(body[...], boundary: boundary) {
            let type = HeaderList.first("Content-Type", in: part.headers) ?? ""
            if let inner = self.boundary(ofContentType: type) {
                var changeSet: [BatchPart] = []
                for request in try parts(part.content, boundary: inner) {
                    changeSet.append(try self.request(request.content, headers: request.headers))
                }
                items.append(.changeSet(changeSet))
            } else {
                items.append(.request(try request(part.content, headers: part.headers)))
            }
        }
        return BatchRequest(items: items)
    }

    /// An `application/http` part: request line, headers, empty line, body.
    static func request(_ content: ArraySlice<UInt8>, headers partHeaders: [(name: String, value: String)]) throws(Failure) -> BatchPart {
        let type = HeaderList.first("Content-Type", in: partHeaders)?.lowercased() ?? ""
        guard type.hasPrefix("application/http") else {
            throw Failure(message: "A $batch part must have the content type application/http (found '\(type)').")
        }
        var start = content.startIndex
        while start < content.endIndex, content[start] == 0x0D || content[start] == 0x0A { start += 1 }
        var lineEnd = start
        while lineEnd < content.endIndex, content[lineEnd] != 0x0A { lineEnd += 1 }
        let line = String(decoding: content[start..<lineEnd], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let words = line.split(separator: " ")
        guard words.count == 3, words[2].hasPrefix("HTTP/") else { throw Failure(message: "The request line '\(line)' of a $batch part is not valid.") }
        let (headers, body) = headersAndContent(content[min(lineEnd + 1, content.endIndex)...])
        var trimmed = body
        while let last = trimmed.last, last == 0x0A || last == 0x0D { trimmed = trimmed.dropLast() }
        return BatchPart(
            method: words[0].uppercased(), url: String(words[1]), headers: headers, body: Operation.json(Array(trimmed)),
            contentID: HeaderList.first("Content-ID", in: partHeaders) ?? HeaderList.first("Content-ID", in: headers))
    }

    // MARK: Writing

    /// One `application/http` response part.
    static func responsePart(_ response: FakeDataverseResponse, contentID: String?) -> [UInt8] {
        var text = "Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n"
        if let contentID { text += "Content-ID: \(contentID)\r\n" }
        text += "\r\nHTTP/1.1 \(response.status) \(FakeDataverseResponse.reason(response.status))\r\n"
        for header in response.headers { text += "\(header.name): \(header.value)\r\n" }
        text += "\r\n"
        return Array(text.utf8) + response.body
    }

    /// Parts joined under a boundary, with the closing delimiter.
    static func body(_ parts: [[UInt8]], boundary: String) -> [UInt8] {
        var out: [UInt8] = []
        for part in parts {
            out += Array("--\(boundary)\r\n".utf8)
            out += part
            out += Array("\r\n".utf8)
        }
        out += Array("--\(boundary)--\r\n".utf8)
        return out
    }
}
