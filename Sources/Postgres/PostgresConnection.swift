import CLibpq
import Foundation
import Logging
import Synchronization

/// One libpq connection, its blocking calls confined to a dedicated thread.
///
/// Every statement is sent with `PQsendQueryParams` (text format) and its results
/// are drained with `PQgetResult` to NULL before the next one; every `PGresult` is
/// cleared exactly once. Cancelling the awaiting task sends `PQcancel` for the
/// running statement. The session is fixed at connect to UTF8, ISO dates and UTC.
/// `@unchecked`: the libpq pointers are mutable but touched only on `thread`; the rest is immutable or in a `Mutex`.
public final class PostgresConnection: @unchecked Sendable {
    /// Connection facts readable from any thread without a hop.
    struct Snapshot {
        var isOK = true
        var transactionStatus: PGTransactionStatusType = PQTRANS_IDLE
        var closed = false
    }

    let thread: ConnectionThread
    /// Touched only on `thread`.
    private var handle: OpaquePointer?
    /// Touched only on `thread`.
    private var cancelHandle: OpaquePointer?
    let snapshot = Mutex(Snapshot())
    /// The server process id, as `pg_backend_pid()` reports it.
    public let backendPID: Int32
    let socket: Int32
    let logger: Logger

    private init(thread: ConnectionThread, handle: OpaquePointer, logger: Logger) {
        self.thread = thread
        self.handle = handle
        self.cancelHandle = PQgetCancel(handle)
        self.backendPID = PQbackendPID(handle)
        self.socket = PQsocket(handle)
        self.logger = logger
    }

    deinit {
        let handle = self.handle
        let cancelHandle = self.cancelHandle
        if handle != nil || cancelHandle != nil {
            let pointers = UncheckedPointers(handle: handle, cancel: cancelHandle)
            thread.submit {
                if let cancel = pointers.cancel { PQfreeCancel(cancel) }
                if let handle = pointers.handle { PQfinish(handle) }
            }
        }
        thread.shutdown()
    }

    /// Opens a connection from a libpq connection string or URI; `""` uses the `PG*` variables.
    public static func connect(
        _ connectionString: String = "", logger: Logger = Logger(label: "rapport.postgres")
    ) async throws -> PostgresConnection {
        let thread = ConnectionThread(name: "rapport.postgres")
        do {
            let pointer = try await thread.run { () -> UncheckedPointers in
                guard let handle = PQconnectdb(connectionString) else {
                    throw PostgresError(code: .connectionFailed, message: "libpq could not allocate a connection")
                }
                guard PQstatus(handle) == CONNECTION_OK else {
                    let message = Self.trimmed(PQerrorMessage(handle))
                    PQfinish(handle)
                    throw PostgresError(code: .connectionFailed, message: message)
                }
                // Server notices ("relation already exists, skipping") are not errors; drop them.
                PQsetNoticeProcessor(handle, { _, _ in }, nil)
                guard PQsetClientEncoding(handle, "UTF8") == 0 else {
                    PQfinish(handle)
                    throw PostgresError(code: .connectionFailed, message: "the server refused client_encoding UTF8")
                }
                return UncheckedPointers(handle: handle, cancel: nil)
            }
            let connection = PostgresConnection(thread: thread, handle: pointer.handle!, logger: logger)
            try await connection.execute(
                "SET DateStyle TO 'ISO, YMD'; SET TimeZone TO 'UTC'; SET IntervalStyle TO 'postgres'",
                simpleProtocol: true)
            return connection
        } catch {
            thread.shutdown()
            throw error
        }
    }

    /// Runs one statement and returns all of its rows.
    @discardableResult
    public func query(_ query: PostgresQuery) async throws -> PostgresRows {
        try await run(query, cancellable: true)
    }

    /// Runs one statement and returns how many rows it affected.
    @discardableResult
    public func execute(_ query: PostgresQuery) async throws -> Int {
        try await run(query, cancellable: true).affectedRows
    }

    /// Runs SQL text with the simple protocol: several statements, no binds (migrations, scripts).
    public func execute(_ script: String, simpleProtocol: Bool) async throws {
        let flag = CancelFlag()
        try await withTaskCancellationHandler {
            _ = try await thread.run {
                try self.onThreadRun(sql: script, binds: [], simple: true, flag: flag)
            }
        } onCancel: {
            flag.set()
        }
    }

    /// Whether the server connection is healthy and outside any transaction.
    public var isIdleAndHealthy: Bool {
        snapshot.withLock { $0.isOK && !$0.closed && $0.transactionStatus == PQTRANS_IDLE }
    }

    /// Whether a transaction block is open on this connection.
    public var isInTransaction: Bool {
        snapshot.withLock {
            $0.transactionStatus == PQTRANS_INTRANS || $0.transactionStatus == PQTRANS_INERROR
        }
    }

    /// Closes the connection; later calls fail with `.connectionClosed`.
    public func close() async {
        _ = try? await thread.run {
            self.onThreadClose()
        }
    }

    /// Quotes a name with `PQescapeIdentifier`.
    public func escapeIdentifier(_ name: String) async throws -> String {
        try await thread.run { try self.onThreadEscapeIdentifier(name) }
    }

    // MARK: - Internals shared with the transaction, COPY and pool code

    func run(_ query: PostgresQuery, cancellable: Bool) async throws -> PostgresRows {
        // A statement that must run (ROLLBACK) ignores abandonment as it ignores task cancellation.
        let flag = cancellable ? CancelFlag() : CancelFlag(abandonment: nil)
        let operation = {
            try await self.thread.run {
                let sql = try query.render { try self.onThreadEscapeIdentifier($0) }
                return try self.onThreadRun(sql: sql, binds: query.binds, simple: false, flag: flag)
            }
        }
        guard cancellable else { return try await operation() }
        return try await withTaskCancellationHandler(operation: operation, onCancel: { flag.set() })
    }

    /// Checks whether the server has closed an idle connection (after a restart
    /// it sends a FATAL and hangs up); the common case costs one `poll` and no hop.
    func looksAliveWhileIdle() async -> Bool {
        guard isIdleAndHealthy, socket >= 0 else { return false }
        var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        if poll(&descriptor, 1, 0) == 0 { return true }
        // Input on an idle connection: only notifications are expected; anything
        // else (an admin shutdown's FATAL, end of file) means the server is gone.
        let alive = (try? await thread.run { () -> Bool in
            guard let handle = self.handle else { return false }
            defer { self.refreshSnapshot() }
            guard PQconsumeInput(handle) == 1, PQstatus(handle) == CONNECTION_OK else { return false }
            var sawNotification = false
            while let notice = PQnotifies(handle) {
                sawNotification = true
                PQfreemem(notice)
            }
            return sawNotification
        }) ?? false
        return alive
    }

    // MARK: - Thread-confined work

    func withHandle<T>(_ body: (OpaquePointer) throws -> T) throws -> T {
        guard let handle else {
            throw PostgresError(code: .connectionClosed, message: "the connection is closed")
        }
        return try body(handle)
    }

    func onThreadRun(sql: String, binds: [PostgresBind], simple: Bool, flag: CancelFlag) throws -> PostgresRows {
        try withHandle { handle in
            if flag.isSet { throw CancellationError() }
            // libpq takes C strings: a NUL would silently cut the value there.
            if let index = binds.firstIndex(where: { $0.text?.utf8.contains(0) == true }) {
                throw PostgresError(code: .invalidBind, message: "bind $\(index + 1) contains a NUL character")
            }
            let sent: Int32
            if simple {
                sent = PQsendQuery(handle, sql)
            } else {
                sent = Self.sendQueryParams(handle, sql: sql, binds: binds)
            }
            guard sent == 1 else {
                refreshSnapshot()
                throw connectionError(handle, fallback: "could not send the statement")
            }
            defer { refreshSnapshot() }
            return try collectResults(handle, binds: binds, flag: flag)
        }
    }

    private static func sendQueryParams(_ handle: OpaquePointer, sql: String, binds: [PostgresBind]) -> Int32 {
        let types = binds.map { Oid($0.type.oid) }
        var cStrings: [UnsafeMutablePointer<CChar>?] = binds.map { bind in bind.text.map { strdup($0) } }
        defer { for pointer in cStrings { free(pointer) } }
        return cStrings.withUnsafeMutableBufferPointer { values in
            types.withUnsafeBufferPointer { typeBuffer in
                values.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: max(values.count, 1)) {
                    valuePointer in
                    PQsendQueryParams(
                        handle, sql, Int32(binds.count), binds.isEmpty ? nil : typeBuffer.baseAddress,
                        binds.isEmpty ? nil : valuePointer, nil, nil, 0)
                }
            }
        }
    }

    /// Drains every result of the statement sent last; throws the first error among them.
    private func collectResults(_ handle: OpaquePointer, binds: [PostgresBind], flag: CancelFlag) throws -> PostgresRows {
        var rows: PostgresRows?
        var failure: Error?
        while true {
            do {
                try waitUntilReadable(handle, flag: flag)
            } catch {
                // The connection broke while waiting; nothing more can be drained.
                throw failure ?? error
            }
            guard let result = PQgetResult(handle) else { break }
            defer { PQclear(result) }
            switch PQresultStatus(result) {
            case PGRES_TUPLES_OK, PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
                if failure == nil { rows = Self.extractRows(result) }
            case PGRES_FATAL_ERROR, PGRES_BAD_RESPONSE, PGRES_NONFATAL_ERROR:
                if failure == nil {
                    let error = Self.serverError(result).redacting(binds.map(\.text))
                    failure = (error.sqlState == "57014" && flag.isSet) ? CancellationError() : error
                }
            case PGRES_COPY_IN:
                // A COPY FROM STDIN sent through `query` cannot be fed; end it so the drain finishes.
                PQputCopyEnd(handle, "COPY FROM STDIN must go through copyFrom")
                failure = failure ?? PostgresError(
                    code: .unexpectedResult, message: "COPY FROM STDIN must go through copyFrom")
            case PGRES_COPY_OUT:
                var buffer: UnsafeMutablePointer<CChar>?
                while PQgetCopyData(handle, &buffer, 0) > 0 { PQfreemem(buffer) }
                failure = failure ?? PostgresError(
                    code: .unexpectedResult, message: "COPY TO STDOUT is not supported by query")
            default:
                failure = failure ?? PostgresError(
                    code: .unexpectedResult, message: String(cString: PQresStatus(PQresultStatus(result))))
            }
        }
        if let failure { throw failure }
        guard let rows else {
            throw PostgresError(code: .unexpectedResult, message: "the statement returned no result")
        }
        return rows
    }

    /// Waits, polling the socket, until `PQgetResult` will not block; sends `PQcancel` once if asked to.
    func waitUntilReadable(_ handle: OpaquePointer, flag: CancelFlag) throws {
        var cancelSent = false
        while PQisBusy(handle) != 0 {
            if flag.isSet && !cancelSent {
                cancelSent = true
                sendCancel()
            }
            var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, 100)
            if ready < 0 && errno != EINTR {
                throw PostgresError(code: .connectionClosed, message: "poll failed: \(String(cString: strerror(errno)))")
            }
            if PQconsumeInput(handle) == 0 {
                refreshSnapshot()
                throw connectionError(handle, fallback: "the connection was lost")
            }
        }
    }

    private func sendCancel() {
        guard let cancelHandle else { return }
        var buffer = [CChar](repeating: 0, count: 256)
        if PQcancel(cancelHandle, &buffer, 256) == 0 {
            logger.warning("PQcancel failed", metadata: ["reason": "\(String(cString: buffer))"])
        }
    }

    func refreshSnapshot() {
        guard let handle else { return }
        let ok = PQstatus(handle) == CONNECTION_OK
        let transaction = PQtransactionStatus(handle)
        snapshot.withLock {
            $0.isOK = ok
            $0.transactionStatus = transaction
        }
    }

    private func onThreadClose() {
        if let cancelHandle { PQfreeCancel(cancelHandle) }
        if let handle { PQfinish(handle) }
        cancelHandle = nil
        handle = nil
        snapshot.withLock { $0.closed = true }
    }

    func onThreadEscapeIdentifier(_ name: String) throws -> String {
        try withHandle { handle in
            let utf8Count = name.utf8.count
            guard let escaped = PQescapeIdentifier(handle, name, utf8Count) else {
                throw PostgresError(code: .unexpectedResult, message: Self.trimmed(PQerrorMessage(handle)))
            }
            defer { PQfreemem(escaped) }
            return String(cString: escaped)
        }
    }

    func connectionError(_ handle: OpaquePointer, fallback: String) -> PostgresError {
        let message = Self.trimmed(PQerrorMessage(handle))
        let code: PostgresError.Code = PQstatus(handle) == CONNECTION_OK ? .unexpectedResult : .connectionClosed
        return PostgresError(code: code, message: message.isEmpty ? fallback : message)
    }

    static func extractRows(_ result: OpaquePointer) -> PostgresRows {
        let rowCount = Int(PQntuples(result))
        let columnCount = Int(PQnfields(result))
        var columns: [PostgresColumn] = []
        columns.reserveCapacity(columnCount)
        for column in 0..<columnCount {
            columns.append(
                PostgresColumn(
                    name: String(cString: PQfname(result, Int32(column))),
                    type: PostgresType(oid: UInt32(PQftype(result, Int32(column))))))
        }
        var values: [String?] = []
        values.reserveCapacity(rowCount * columnCount)
        for row in 0..<rowCount {
            for column in 0..<columnCount {
                if PQgetisnull(result, Int32(row), Int32(column)) == 1 {
                    values.append(nil)
                } else {
                    values.append(String(cString: PQgetvalue(result, Int32(row), Int32(column))))
                }
            }
        }
        let tag = String(cString: PQcmdStatus(result))
        let affected = Int(String(cString: PQcmdTuples(result))) ?? 0
        return PostgresRows(columns: columns, values: values, commandTag: tag, affectedRows: affected)
    }

    static func serverError(_ result: OpaquePointer) -> PostgresError {
        func field(_ code: Character) -> String? {
            guard let value = PQresultErrorField(result, Int32(code.asciiValue!)) else { return nil }
            return String(cString: value)
        }
        let message = field("M") ?? trimmed(PQresultErrorMessage(result))
        return PostgresError(
            code: .server, message: message, sqlState: field("C"), hint: field("H"),
            constraintName: field("n"), tableName: field("t"), columnName: field("c"))
    }

    static func trimmed(_ message: UnsafePointer<CChar>?) -> String {
        guard let message else { return "" }
        return String(cString: message).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// Raw libpq pointers moved between threads under the connection's confinement rule.
struct UncheckedPointers: @unchecked Sendable {
    var handle: OpaquePointer?
    var cancel: OpaquePointer?
}

/// Set from a task's cancellation handler, read by the connection thread.
final class CancelFlag: Sendable {
    private let value = Atomic<Bool>(false)
    /// The abandonment signal of the work the statement serves (read from the task that made the flag).
    private let abandonment: AbandonmentSignal?

    init(abandonment: AbandonmentSignal? = AbandonmentSignal.current) {
        self.abandonment = abandonment
    }

    func set() { value.store(true, ordering: .releasing) }
    var isSet: Bool { value.load(ordering: .acquiring) || abandonment?.isFired == true }
}
