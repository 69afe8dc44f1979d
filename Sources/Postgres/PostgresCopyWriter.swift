import CLibpq
import Foundation
import Synchronization

/// A value that can be written as one field of COPY's text format.
public protocol PostgresCopyField {
    /// Appends the field's escaped text (or `\N` for NULL) to `buffer`.
    func appendCopyText(to buffer: inout [UInt8])
}

extension PostgresCopyField where Self: PostgresEncodable {
    public func appendCopyText(to buffer: inout [UInt8]) {
        PostgresCopyWriter.appendEscaped(postgresText, to: &buffer)
    }
}

extension String: PostgresCopyField {
    public func appendCopyText(to buffer: inout [UInt8]) {
        var text = self
        text.withUTF8 { PostgresCopyWriter.appendEscaped($0, to: &buffer) }
    }
}

extension Substring: PostgresCopyField {}
extension Double: PostgresCopyField {}
extension UUID: PostgresCopyField {}

extension Date: PostgresCopyField {
    public func appendCopyText(to buffer: inout [UInt8]) {
        PostgresDateFormat.appendTimestamptz(self, to: &buffer)
    }
}
extension Array: PostgresCopyField where Element: PostgresArrayElement {}
extension PostgresJSON: PostgresCopyField {}

extension Bool: PostgresCopyField {
    public func appendCopyText(to buffer: inout [UInt8]) {
        buffer.append(self ? UInt8(ascii: "t") : UInt8(ascii: "f"))
    }
}

extension Int: PostgresCopyField {
    public func appendCopyText(to buffer: inout [UInt8]) {
        PostgresCopyWriter.appendDecimal(Int64(self), to: &buffer)
    }
}

extension Int64: PostgresCopyField {
    public func appendCopyText(to buffer: inout [UInt8]) {
        PostgresCopyWriter.appendDecimal(self, to: &buffer)
    }
}

extension Int32: PostgresCopyField {
    public func appendCopyText(to buffer: inout [UInt8]) {
        PostgresCopyWriter.appendDecimal(Int64(self), to: &buffer)
    }
}

extension Int16: PostgresCopyField {
    public func appendCopyText(to buffer: inout [UInt8]) {
        PostgresCopyWriter.appendDecimal(Int64(self), to: &buffer)
    }
}

extension Optional: PostgresCopyField where Wrapped: PostgresCopyField {
    public func appendCopyText(to buffer: inout [UInt8]) {
        if let value = self {
            value.appendCopyText(to: &buffer)
        } else {
            buffer.append(UInt8(ascii: "\\"))
            buffer.append(UInt8(ascii: "N"))
        }
    }
}

/// Streams rows into a `COPY … FROM STDIN` in text format.
///
/// Rows are encoded into a buffer on the caller's side; full buffers go to the
/// connection's thread for `PQputCopyData` while the caller encodes the next one,
/// with at most a few buffers in flight.
public final class PostgresCopyWriter {

    let connection: PostgresConnection
    @usableFromInline var buffer: [UInt8] = []
    private let failure = CopyFailure()

    init(connection: PostgresConnection) {
        self.connection = connection
        buffer.reserveCapacity(Self.chunkSize + 4096)
    }

    /// Writes one row; fields are tab-separated in the given order.
    @inlinable
    public func writeRow<each Field: PostgresCopyField>(_ fields: repeat each Field) async throws {
        // Work on a local array: one exclusivity check per row instead of one per byte.
        var bytes: [UInt8] = []
        swap(&bytes, &buffer)
        var first = true
        for field in repeat each fields {
            if !first { bytes.append(UInt8(ascii: "\t")) }
            first = false
            field.appendCopyText(to: &bytes)
        }
        bytes.append(UInt8(ascii: "\n"))
        swap(&bytes, &buffer)
        if buffer.count >= PostgresCopyWriter.chunkSize {
            try await flush()
        }
    }

    /// Bytes encoded before a chunk goes to the connection's thread; measured best with
    /// 8 chunks in flight and 16 KB CopyData messages (`rapport-dev bench postgres`).
    @usableFromInline static let chunkSize = 64 * 1024
    static let chunksInFlight = 8
    static let copyMessageSize = 16 * 1024
    /// Writes rows already in COPY text format (tab-separated, escaped, each ending in a newline).
    public func writeEncoded(_ bytes: some Collection<UInt8>) async throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.chunkSize {
            try await flush()
        }
    }

    /// Hands the buffered rows to the connection's thread; waits while too many are in flight.
    @usableFromInline
    func flush() async throws {
        if let error = failure.error { throw error }
        guard !buffer.isEmpty else { return }
        let chunk = buffer
        buffer.removeAll(keepingCapacity: true)
        let connection = self.connection
        let failure = self.failure
        await failure.reserveSlot(limit: Self.chunksInFlight)
        connection.thread.submit {
            defer { failure.releaseSlot() }
            guard failure.error == nil else { return }
            do {
                try connection.onThreadPutCopyData(chunk)
            } catch {
                failure.record(error)
            }
        }
        if let error = failure.error { throw error }
    }

    /// Waits until every chunk handed over has been sent.
    func drain() async throws {
        try await flush()
        await failure.reserveSlot(limit: 1)
        failure.releaseSlot()
        if let error = failure.error { throw error }
    }


    static func appendEscaped(_ text: String, to buffer: inout [UInt8]) {
        var text = text
        text.withUTF8 { appendEscaped($0, to: &buffer) }
    }

    /// Appends UTF-8 bytes, escaping backslash, tab, newline and carriage return.
    static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to buffer: inout [UInt8]) {
        var clean = true
        for byte in bytes where byte == UInt8(ascii: "\\") || byte < 0x20 {
            if byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                clean = false
                break
            }
        }
        if clean {
            buffer.append(contentsOf: bytes)
            return
        }
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\\"): buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "\\"))
            case UInt8(ascii: "\t"): buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "t"))
            case UInt8(ascii: "\n"): buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "n"))
            case UInt8(ascii: "\r"): buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "r"))
            default: buffer.append(byte)
            }
        }
    }

    static func appendDecimal(_ value: Int64, to buffer: inout [UInt8]) {
        if value == 0 {
            buffer.append(UInt8(ascii: "0"))
            return
        }
        var magnitude = value.magnitude
        if value < 0 { buffer.append(UInt8(ascii: "-")) }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { raw in
            while magnitude > 0 {
                raw[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            }
            for index in stride(from: count - 1, through: 0, by: -1) {
                buffer.append(raw[index])
            }
        }
    }
}

/// The chunks in flight to the connection's thread, and the first error sending one hit.
final class CopyFailure: Sendable {
    private struct State {
        var stored: Error?
        var inFlight = 0
        var waiter: CheckedContinuation<Void, Never>?
        var waiterLimit = 0
    }

    private let state = Mutex(State())

    var error: Error? { state.withLock { $0.stored } }

    func record(_ error: Error) {
        state.withLock { state in
            if state.stored == nil { state.stored = error }
        }
    }

    /// Takes a slot, first waiting until fewer than `limit` chunks are in flight.
    func reserveSlot(limit: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let taken = state.withLock { state in
                if state.inFlight < limit {
                    state.inFlight += 1
                    return true
                }
                state.waiter = continuation
                state.waiterLimit = limit
                return false
            }
            if taken { continuation.resume() }
        }
    }

    func releaseSlot() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.inFlight -= 1
            guard let waiter = state.waiter, state.inFlight < state.waiterLimit else { return nil }
            state.waiter = nil
            state.inFlight += 1
            return waiter
        }
        next?.resume()
    }
}

extension PostgresConnection {
    /// Runs `COPY … FROM STDIN`, feeding it the rows `body` writes.
    ///
    /// Returns the number of rows the server reports as copied. If `body` throws,
    /// the COPY is ended with `PQputCopyEnd(errormsg)` so the server discards every
    /// row, and the error is rethrown; the connection stays usable.
    @discardableResult
    public func copyFrom(
        isolation: isolated (any Actor)? = #isolation,
        _ statement: PostgresQuery,
        _ body: (PostgresCopyWriter) async throws -> Void
    ) async throws -> Int {
        let flag = CancelFlag()
        try await withTaskCancellationHandler {
            try await thread.run {
                let sql = try statement.render { try self.onThreadEscapeIdentifier($0) }
                try self.onThreadStartCopy(sql: sql, binds: statement.binds, flag: flag)
            }
        } onCancel: {
            flag.set()
        }
        let writer = PostgresCopyWriter(connection: self)
        do {
            try await body(writer)
            try await writer.drain()
        } catch {
            let reason = "aborted by the client: \(type(of: error))"
            _ = try? await thread.run { try self.onThreadEndCopy(abortReason: reason, flag: CancelFlag(abandonment: nil)) }
            throw error
        }
        return try await thread.run { try self.onThreadEndCopy(abortReason: nil, flag: flag) }
    }

    func onThreadStartCopy(sql: String, binds: [PostgresBind], flag: CancelFlag) throws {
        try withHandle { handle in
            if flag.isSet { throw CancellationError() }
            guard binds.isEmpty else {
                throw PostgresError(code: .copyFailed, message: "COPY takes no bind values")
            }
            let sent = PQsendQuery(handle, sql)
            guard sent == 1 else { throw connectionError(handle, fallback: "could not send COPY") }
            try waitUntilReadable(handle, flag: flag)
            guard let result = PQgetResult(handle) else {
                throw PostgresError(code: .unexpectedResult, message: "COPY returned no result")
            }
            defer { PQclear(result) }
            let status = PQresultStatus(result)
            guard status == PGRES_COPY_IN else {
                let error = status == PGRES_FATAL_ERROR
                    ? Self.serverError(result)
                    : PostgresError(code: .copyFailed, message: "the statement is not COPY FROM STDIN")
                // Drain what follows so the connection is ready for the next command.
                while let extra = PQgetResult(handle) { PQclear(extra) }
                refreshSnapshot()
                throw error
            }
        }
    }

    /// Sends a chunk as CopyData messages of at most `copyMessageSize` bytes.
    ///
    /// The server parses a message only once it has all of it; small messages let
    /// it parse one while the next is in flight (psql sends 8 KB ones).
    func onThreadPutCopyData(_ chunk: [UInt8]) throws {
        try withHandle { handle in
            try chunk.withUnsafeBufferPointer { bytes in
                try bytes.baseAddress!.withMemoryRebound(to: CChar.self, capacity: bytes.count) { base in
                    var offset = 0
                    while offset < bytes.count {
                        let length = min(PostgresCopyWriter.copyMessageSize, bytes.count - offset)
                        guard PQputCopyData(handle, base + offset, Int32(length)) == 1 else {
                            throw connectionError(handle, fallback: "PQputCopyData failed")
                        }
                        offset += length
                    }
                }
            }
        }
    }

    /// Ends the COPY (or aborts it with `abortReason`) and reads its final status.
    func onThreadEndCopy(abortReason: String?, flag: CancelFlag) throws -> Int {
        try withHandle { handle in
            defer { refreshSnapshot() }
            guard PQputCopyEnd(handle, abortReason) == 1 else {
                throw connectionError(handle, fallback: "PQputCopyEnd failed")
            }
            var copied = 0
            var failure: Error?
            while true {
                try waitUntilReadable(handle, flag: flag)
                guard let result = PQgetResult(handle) else { break }
                defer { PQclear(result) }
                switch PQresultStatus(result) {
                case PGRES_COMMAND_OK:
                    copied = Int(String(cString: PQcmdTuples(result))) ?? 0
                case PGRES_COPY_IN:
                    // Still in COPY: libpq has not accepted the end yet; try again.
                    guard PQputCopyEnd(handle, abortReason) == 1 else {
                        throw connectionError(handle, fallback: "PQputCopyEnd failed")
                    }
                default:
                    if failure == nil, abortReason == nil { failure = Self.serverError(result) }
                }
            }
            if let failure { throw failure }
            return copied
        }
    }
}
