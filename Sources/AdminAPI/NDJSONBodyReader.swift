import CompressNIO
import Hummingbird
import NIOCore
import Store

/// Reads an NDJSON request body line by line, gunzipping it when `Content-Encoding: gzip`.
///
/// The limit applies to the decompressed bytes, so a small gzip bomb is
/// refused too. Lines are handed over without their line break; empty lines
/// are skipped but counted.
struct NDJSONBodyReader {
    let limit: Int

    func forEachLine(
        _ request: Request, _ body: (_ number: Int, _ line: ArraySlice<UInt8>) async throws -> Void
    ) async throws {
        let gzip = request.headers[.contentEncoding]?.lowercased().contains("gzip") == true
        var decompressor: NIODecompressor?
        if gzip {
            let zlib = CompressionAlgorithm.gzip().decompressor
            zlib.window = ByteBufferAllocator().buffer(capacity: 64 * 1024)
            try zlib.startStream()
            decompressor = zlib
        }
        var pending: [UInt8] = []
        var total = 0
        var lineNumber = 0

        func consume(_ bytes: ByteBuffer) async throws {
            total += bytes.readableBytes
            guard total <= limit else { throw HTTPError(.contentTooLarge) }
            pending.append(contentsOf: bytes.readableBytesView)
            var start = 0
            while let newline = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
                lineNumber += 1
                var end = newline
                if end > start, pending[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                if end > start {
                    try await body(lineNumber, pending[start..<end])
                }
                start = newline + 1
            }
            pending.removeFirst(start)
        }

        for try await chunk in request.body {
            if let decompressor {
                var input = chunk
                var outputs: [ByteBuffer] = []
                do {
                    try input.decompressStream(with: decompressor) { outputs.append($0) }
                } catch {
                    throw StoreError(.invalid, "the body is not valid gzip", field: "body")
                }
                for output in outputs { try await consume(output) }
            } else {
                try await consume(chunk)
            }
        }
        if let decompressor { try? decompressor.finishStream() }
        if !pending.isEmpty {
            lineNumber += 1
            try await body(lineNumber, pending[...])
        }
    }
}
