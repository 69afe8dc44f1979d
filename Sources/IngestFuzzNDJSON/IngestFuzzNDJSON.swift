import FuzzDriver
import Ingest

/// libFuzzer entry point: an NDJSON push batch.
///
/// `make fuzz` builds it with libFuzzer; a plain build is a replay tool, `IngestFuzzNDJSON FILE...` (see `FuzzDriver`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNDJSON(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = FuzzDriver.bytes(data, size)
    _ = NDJSONParser.parse(bytes)
    return 0
}

@main
struct MainNDJSON {
    static func main() throws { try FuzzDriver.run(fuzzNDJSON) }
}
