import Hummingbird
import Ingest
import NIOCore
import Platform

/// Reads an NDJSON request body line by line, gunzipping it when `Content-Encoding: gzip`.
///
/// The limit applies to the decompressed bytes, so a small gzip bomb is
/// refused too; a gzip body must end with its trailer (a truncated upload is
/// refused). Lines are split in linear time and may be at most
/// `maximumLineLength` bytes. Lines are handed over without their line break;
/// empty lines are skipped but counted. Reading stops as soon as the request's
/// task is cancelled (the client went away).
struct NDJSONBodyReader {
    let limit: Int
    var maximumLineLength = 1 << 20

    func forEachLine(
        _ request: Request, _ body: (_ number: Int, _ line: ArraySlice<UInt8>) async throws -> Void
    ) async throws {
        let gzip = request.headers[.contentEncoding]?.lowercased().contains("gzip") == true
        let inflater = gzip ? GzipInflater() : nil
        var splitter = LineSplitter(maximumLineLength: maximumLineLength)
        var total = 0

        func deliver(_ line: (number: Int, bytes: ArraySlice<UInt8>)) async throws {
            if !line.bytes.isEmpty { try await body(line.number, line.bytes) }
        }
        func consume(_ bytes: some Collection<UInt8>) async throws {
            total += bytes.count
            guard total <= limit else { throw HTTPError(.contentTooLarge) }
            splitter.append(bytes)
            do {
                while let line = try splitter.nextLine() { try await deliver(line) }
            } catch let error as LineSplitter.LineTooLong {
                throw ServiceError(.invalid, "line \(error.line) is longer than \(error.limit) bytes", field: "line \(error.line)")
            }
        }

        for try await chunk in request.body {
            try Task.checkCancellation()
            if let inflater {
                inflater.feed(chunk.readableBytesView)
                do {
                    while let piece = try inflater.nextPiece() { try await consume(piece) }
                } catch let error as GzipInflater.Failure {
                    throw ServiceError(.invalid, error.description, field: "body")
                }
            } else {
                try await consume(chunk.readableBytesView)
            }
        }
        if let inflater {
            do {
                try inflater.finish()
            } catch {
                throw ServiceError(.invalid, error.description, field: "body")
            }
        }
        do {
            if let last = try splitter.finish() { try await deliver(last) }
        } catch let error as LineSplitter.LineTooLong {
            throw ServiceError(.invalid, "line \(error.line) is longer than \(error.limit) bytes", field: "line \(error.line)")
        }
    }
}
