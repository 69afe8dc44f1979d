import FuzzDriver
import Ingest

/// libFuzzer entry point: CRM CSV as accounts and as contacts.
///
/// `make fuzz` builds it with libFuzzer; a plain build is a replay tool, `IngestFuzzCSV FILE...` (see `FuzzDriver`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = FuzzDriver.bytes(data, size)
    _ = try? CRMCSVParser.accounts(bytes)
    _ = try? CRMCSVParser.contacts(bytes)
    return 0
}

@main
struct MainCSV {
    static func main() throws { try FuzzDriver.run(fuzzCSV) }
}
