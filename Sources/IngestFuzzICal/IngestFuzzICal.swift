import Foundation
import Ingest

/// libFuzzer entry point: an iCalendar stream expanded over ten years.
///
/// Built with `-sanitize=fuzzer -DFUZZING` (see `scripts/ingest/Makefile.inc`,
/// target `ingest-fuzz`). Without FUZZING the target is a replay tool:
/// `IngestFuzzICal FILE...` runs each file through the same code, which is how
/// the kept crashers are re-run.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzICal(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = size > 0 && data != nil ? Array(UnsafeBufferPointer(start: data, count: size)) : []
    let window = TimeWindow(from: Date(timeIntervalSince1970: 946_684_800), to: Date(timeIntervalSince1970: 1_262_304_000))
    _ = ICalendarParser.meetings(bytes, window: window)
    return 0
}

@main
struct MainICal {
    static func main() throws {
        #if FUZZING
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzICal))
        #else
        for path in CommandLine.arguments.dropFirst() {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            _ = bytes.withUnsafeBufferPointer { fuzzICal($0.baseAddress, $0.count) }
            print("ok \(path)")
        }
        #endif
    }
}

#if FUZZING
/// libFuzzer's driver (SwiftPM names the executable's entry point itself, so libFuzzer's `main` is not used).
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32
#endif
