import Foundation
import FuzzDriver
import Ingest

/// libFuzzer entry point: an iCalendar stream expanded over ten years.
///
/// `make fuzz` builds it with libFuzzer; a plain build is a replay tool, `IngestFuzzICal FILE...` (see `FuzzDriver`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzICal(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = FuzzDriver.bytes(data, size)
    let window = TimeWindow(from: Date(timeIntervalSince1970: 946_684_800), to: Date(timeIntervalSince1970: 1_262_304_000))
    _ = ICalendarParser.meetings(bytes, window: window)
    return 0
}

@main
struct MainICal {
    static func main() throws { try FuzzDriver.run(fuzzICal) }
}
