import Ingest

/// `GzipInflater` must end on any bytes, keep to its piece capacity, and inflate alike however the input is cut.
enum GzipInflaterCheck {
    /// Stops a run (without failing) past this much output, to keep each input fast.
    static let outputLimit = 1 << 20

    struct Run {
        var bytes: [UInt8] = []
        /// Where each piece ends in `bytes`.
        var pieceEnds: [Int] = []
        var failed = false
        var stopped = false

        var pieces: [ArraySlice<UInt8>] {
            zip([0] + pieceEnds, pieceEnds).map { bytes[$0..<$1] }
        }
    }

    /// The inflated pieces when the stream is whole and valid, else nil; traps on a broken invariant.
    static func check(_ chunks: [ArraySlice<UInt8>], capacity: Int) -> [ArraySlice<UInt8>]? {
        let cut = inflate(chunks, capacity: capacity)
        let whole = inflate([Array(chunks.joined())[...]], capacity: 65_536)
        guard !cut.stopped, !whole.stopped else { return nil }
        if cut.failed != whole.failed {
            fatalError("in \(FuzzInput.describe(chunks)) the stream \(cut.failed ? "fails" : "inflates"); whole it \(whole.failed ? "fails" : "inflates")")
        }
        if !cut.failed, cut.bytes != whole.bytes {
            fatalError("in \(FuzzInput.describe(chunks)) \(cut.bytes.count) bytes inflate; whole \(whole.bytes.count), or other bytes")
        }
        // A failure may be seen a little later in one cut than the other, but what came before it agrees.
        let common = min(cut.bytes.count, whole.bytes.count)
        if cut.bytes[..<common] != whole.bytes[..<common] { fatalError("in \(FuzzInput.describe(chunks)) other bytes inflate than whole") }
        return cut.failed ? nil : cut.pieces
    }

    static func inflate(_ chunks: [ArraySlice<UInt8>], capacity: Int) -> Run {
        let inflater = GzipInflater()
        var run = Run()
        do throws(GzipInflater.Failure) {
            for chunk in chunks {
                inflater.feed(chunk)
                // Each piece brings bytes out or takes bytes in; only a member's end may do neither, once.
                var idle = 0
                var offset = inflater.offset
                while let piece = try inflater.nextPiece(capacity: capacity) {
                    guard piece.count <= capacity else { fatalError("a piece of \(piece.count) bytes for a capacity of \(capacity)") }
                    run.bytes += piece
                    run.pieceEnds.append(run.bytes.count)
                    // Deflate inflates at most 1032 bytes per compressed byte.
                    guard run.bytes.count <= 1100 * inflater.offset + 65_536 else {
                        fatalError("\(run.bytes.count) bytes out of \(inflater.offset) compressed bytes")
                    }
                    idle = piece.isEmpty && inflater.offset == offset ? idle + 1 : 0
                    offset = inflater.offset
                    guard idle <= 2 else { fatalError("nextPiece returns empty pieces without end (capacity \(capacity), offset \(offset))") }
                    if run.bytes.count > outputLimit {
                        run.stopped = true
                        return run
                    }
                }
            }
            try inflater.finish()
        } catch {
            run.failed = true
            guard error.offset >= 0, error.offset <= chunks.reduce(0, { $0 + $1.count }) else { fatalError("failure \(error) past the input") }
        }
        return run
    }
}
