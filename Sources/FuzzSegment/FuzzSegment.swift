import Engagement
import FuzzDriver

/// libFuzzer entry point: the bytes as a segment expression (UTF-8, invalid sequences replaced).
///
/// Parsing must never trap, and must refuse or accept the same text the same way
/// every time; what it accepts must keep every limit of `SegmentExpression` and
/// read back as itself from its canonical text (`SegmentExpression+Canonical.swift`).
/// A broken invariant is a `fatalError`, which libFuzzer reports as a crash.
/// `make fuzz` builds it with libFuzzer; a plain build is a replay tool, `FuzzSegment FILE...`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSegment(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let text = String(decoding: FuzzDriver.bytes(data, size), as: UTF8.self)
    let first = Result { () throws(SegmentSyntaxError) in try SegmentExpression.parse(text) }
    let second = Result { () throws(SegmentSyntaxError) in try SegmentExpression.parse(text) }
    guard first == second else { fatalError("two parses of one text differ: \(first) then \(second)") }
    switch first {
    case .failure(let error):
        guard (0...text.count).contains(error.position), !error.message.isEmpty else {
            fatalError("error \(error) points outside a text of \(text.count) characters")
        }
    case .success(let expression):
        guard text.count <= SegmentExpression.maximumLength else { fatalError("accepted \(text.count) characters") }
        expression.checkLimits()
        let canonical = expression.canonicalText
        if canonical.count <= SegmentExpression.maximumLength {
            let reread = Result { () throws(SegmentSyntaxError) in try SegmentExpression.parse(canonical) }
            guard reread == .success(expression) else { fatalError("\(expression) reads back from \(canonical) as \(reread)") }
        }
    }
    return 0
}

@main
struct MainSegment {
    static func main() throws { try FuzzDriver.run(fuzzSegment) }
}
