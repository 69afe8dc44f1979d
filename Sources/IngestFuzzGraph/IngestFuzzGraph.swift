import FuzzDriver
import Ingest

/// libFuzzer entry point: a Microsoft Graph page of messages or events.
///
/// `make fuzz` builds it with libFuzzer; a plain build is a replay tool, `IngestFuzzGraph FILE...` (see `FuzzDriver`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGraph(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = FuzzDriver.bytes(data, size)
    _ = try? GraphPageParser.parse(bytes, window: nil)
    return 0
}

@main
struct MainGraph {
    static func main() throws { try FuzzDriver.run(fuzzGraph) }
}
