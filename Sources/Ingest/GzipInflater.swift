internal import CZlib

/// Inflates a gzip stream (RFC 1952) fed in chunks, in pieces of bounded size.
///
/// zlib checks each member's CRC-32 and length trailer; `finish` refuses a
/// stream that stopped before its trailer, so a truncated upload is an error,
/// not a silently shorter one. Concatenated members (as `cat a.gz b.gz`) are
/// read one after another, as gunzip does.
public final class GzipInflater {
    /// What is wrong with the stream; `offset` counts compressed bytes.
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public var offset: Int
        public var description: String { "\(message) (at compressed byte \(offset))" }
    }

    private let stream: UnsafeMutablePointer<z_stream>
    private var input: UnsafeMutableRawBufferPointer?
    private var consumedBefore = 0
    /// True when the last piece filled its buffer: zlib may hold more output.
    private var outputPending = false
    /// True after a member's trailer, until more input starts another.
    private var atMemberEnd = false
    private var sawInput = false

    public init() {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let status = rapport_inflate_init_gzip(stream)
        precondition(status == Z_OK, "zlib could not start an inflate stream (\(status))")
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        input?.deallocate()
    }

    /// Compressed bytes consumed so far.
    public var offset: Int { consumedBefore + Int(stream.pointee.total_in) }

    /// Gives the next chunk of compressed bytes; call `nextPiece` until it returns nil before giving another.
    public func feed<Bytes: Collection>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        input?.deallocate()
        let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 1)
        _ = copy.initializeMemory(as: UInt8.self, from: bytes)
        input = copy
        stream.pointee.next_in = copy.baseAddress?.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_in = UInt32(bytes.count)
        if !bytes.isEmpty { sawInput = true }
    }

    /// The next piece of inflated bytes (at most `capacity`), or nil when the chunk given is used up.
    public func nextPiece(capacity: Int = 64 * 1024) throws(Failure) -> [UInt8]? {
        guard stream.pointee.avail_in > 0 || outputPending else { return nil }
        if atMemberEnd {
            // More bytes after a member's trailer: another member starts (or garbage, which its header check refuses).
            consumedBefore += Int(stream.pointee.total_in)
            guard inflateReset(stream) == Z_OK else { throw Failure(message: "the gzip stream could not restart", offset: offset) }
            atMemberEnd = false
        }
        let availableBefore = stream.pointee.avail_in
        var out = [UInt8](repeating: 0, count: capacity)
        let (status, written): (Int32, Int) = out.withUnsafeMutableBufferPointer { buffer in
            stream.pointee.next_out = buffer.baseAddress
            stream.pointee.avail_out = UInt32(capacity)
            let status = inflate(stream, Z_NO_FLUSH)
            return (status, capacity - Int(stream.pointee.avail_out))
        }
        switch status {
        case Z_OK:
            outputPending = stream.pointee.avail_out == 0
        case Z_STREAM_END:
            outputPending = false
            atMemberEnd = true
        case Z_BUF_ERROR:
            // No progress possible until more input comes.
            outputPending = false
        default:
            let reason = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(status)"
            throw Failure(message: "the body is not valid gzip: \(reason)", offset: offset)
        }
        if written == 0, stream.pointee.avail_in == availableBefore, !atMemberEnd {
            // zlib made no progress: it needs the next chunk.
            outputPending = false
            return nil
        }
        out.removeSubrange(written...)
        return out
    }

    /// Checks that the stream ended where a member ended (after its CRC-32 and length trailer).
    public func finish() throws(Failure) {
        guard sawInput, atMemberEnd, stream.pointee.avail_in == 0 else {
            throw Failure(message: "the gzip stream is truncated: it ends before its trailer", offset: offset)
        }
    }
}
