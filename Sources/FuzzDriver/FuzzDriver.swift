import Foundation

/// Runs a fuzz target's callback: under libFuzzer when built with `-DFUZZING`, else over the files named on the command line.
///
/// The fuzz build (`make fuzz`, `-sanitize=fuzzer,address -DFUZZING`) starts
/// libFuzzer through `LLVMFuzzerRunDriver`: SwiftPM makes `main` an alias of the
/// executable's own entry point on Linux, so libFuzzer's `main` never runs. Each
/// target still exports its callback as `@_cdecl("LLVMFuzzerTestOneInput")`:
/// the fuzzer runtime refers to that symbol, and the link fails without it. A
/// plain build makes the target a replay tool, `TARGET FILE...`, printing `ok FILE`
/// for each file run through the callback; that is how kept crashers are re-run.
public enum FuzzDriver {
    /// libFuzzer's `LLVMFuzzerTestOneInput`: one input, 0 to go on.
    public typealias Callback = @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32

    public static func run(_ callback: Callback) throws -> Never {
        #if FUZZING
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, callback))
        #else
        for path in CommandLine.arguments.dropFirst() {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            _ = bytes.withUnsafeBufferPointer { callback($0.baseAddress, $0.count) }
            print("ok \(path)")
        }
        exit(0)
        #endif
    }

    /// The callback's input as an array (libFuzzer may pass a null pointer for an empty input).
    public static func bytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
        guard let data, size > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: size))
    }
}

#if FUZZING
/// libFuzzer's driver, from the runtime `-sanitize=fuzzer` links in.
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: FuzzDriver.Callback
) -> Int32
#endif
