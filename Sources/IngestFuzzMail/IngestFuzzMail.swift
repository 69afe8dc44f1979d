import Foundation
import Ingest

/// libFuzzer entry point: RFC 5322 headers of one message, and the same bytes as an mbox.
///
/// Built with `-sanitize=fuzzer -DFUZZING` (see `scripts/ingest/Makefile.inc`,
/// target `ingest-fuzz`). Without FUZZING the target is a replay tool:
/// `IngestFuzzMail FILE...` runs each file through the same code, which is how
/// the kept crashers are re-run.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMail(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = size > 0 && data != nil ? Array(UnsafeBufferPointer(start: data, count: size)) : []
    _ = MailMessageParser.parse(bytes)
    try? MboxReader(chunkSize: 64, maxHeaderBytes: 256).forEachMessage(in: bytes) { _ = MailMessageParser.parse($0) }
    return 0
}

@main
struct MainMail {
    static func main() throws {
        #if FUZZING
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzMail))
        #else
        for path in CommandLine.arguments.dropFirst() {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            _ = bytes.withUnsafeBufferPointer { fuzzMail($0.baseAddress, $0.count) }
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
