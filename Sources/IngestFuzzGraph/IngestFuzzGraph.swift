import Foundation
import Ingest

/// libFuzzer entry point: a Microsoft Graph page of messages or events.
///
/// Built with `-sanitize=fuzzer -DFUZZING` (see `scripts/ingest/Makefile.inc`,
/// target `ingest-fuzz`). Without FUZZING the target is a replay tool:
/// `IngestFuzzGraph FILE...` runs each file through the same code, which is how
/// the kept crashers are re-run.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGraph(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = size > 0 && data != nil ? Array(UnsafeBufferPointer(start: data, count: size)) : []
    _ = try? GraphPageParser.parse(bytes, window: nil)
    return 0
}

@main
struct MainGraph {
    static func main() throws {
        #if FUZZING
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzGraph))
        #else
        for path in CommandLine.arguments.dropFirst() {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            _ = bytes.withUnsafeBufferPointer { fuzzGraph($0.baseAddress, $0.count) }
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
