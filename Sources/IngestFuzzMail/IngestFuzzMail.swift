import FuzzDriver
import Ingest

/// libFuzzer entry point: RFC 5322 headers of one message, and the same bytes as an mbox.
///
/// `make fuzz` builds it with libFuzzer; a plain build is a replay tool, `IngestFuzzMail FILE...` (see `FuzzDriver`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMail(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = FuzzDriver.bytes(data, size)
    _ = MailMessageParser.parse(bytes)
    try? MboxReader(chunkSize: 64, maxHeaderBytes: 256).forEachMessage(in: bytes) { _ = MailMessageParser.parse($0) }
    return 0
}

@main
struct MainMail {
    static func main() throws { try FuzzDriver.run(fuzzMail) }
}
