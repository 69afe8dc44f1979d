import FuzzDriver
import Ingest

/// libFuzzer entry point: `LineSplitter` against a reference split, and `GzipInflater` on the same bytes, in chunks the input chooses.
///
/// Input: byte 0 picks the line limit (bits 0-3), the inflater's piece capacity
/// (bits 4-6) and whether 64 KiB of lines come before the body when splitting
/// (bit 7: the splitter then drops consumed bytes); byte 1 holds how many
/// chunk sizes follow (bits 0-2) and their scale (bits 3-4); then those sizes,
/// used in turn; the rest is the body (see `FuzzInput`).
/// `make fuzz` builds it with libFuzzer; a plain build is a replay tool, `FuzzLineSplitter FILE...`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLineSplitter(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = FuzzInput(FuzzDriver.bytes(data, size))
    var chunks = input.chunks(of: input.body)
    if input.filler {
        // Complete lines past 64 KiB in one chunk with the body's first: the next append drops them from the buffer.
        let line = [UInt8](repeating: UInt8(ascii: "x"), count: min(input.lineLimit, 255)) + [UInt8(ascii: "\n")]
        var first: [UInt8] = []
        for _ in 0...65_536 / line.count { first += line }
        first += chunks.first ?? []
        chunks = [first[...]] + chunks.dropFirst()
    }
    LineSplitterCheck.check(chunks, limit: input.lineLimit)
    if input.body.count <= 4096 {
        // Byte by byte too: every place a chunk can end.
        LineSplitterCheck.check(input.body.indices.map { input.body[$0...$0] }, limit: input.lineLimit)
    }
    if let inflated = GzipInflaterCheck.check(input.chunks(of: input.body), capacity: input.pieceCapacity), !inflated.isEmpty {
        // The upload path: inflated pieces straight into the splitter.
        LineSplitterCheck.check(inflated, limit: input.lineLimit)
    }
    return 0
}

@main
struct MainLineSplitter {
    static func main() throws { try FuzzDriver.run(fuzzLineSplitter) }
}
