#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Decodes bytes in a named MIME charset to a String, through iconv for the non-trivial ones.
///
/// UTF-8, US-ASCII and ISO-8859-1 are decoded in Swift; every other name
/// (ISO-8859-2..15, Windows-1250..1258, KOI8-R, ...) goes to the C library's
/// iconv. Undecodable bytes become U+FFFD; an unknown charset returns nil.
public enum CharsetDecoder {
    public static func decode(_ bytes: some Collection<UInt8>, charset rawCharset: String) -> String? {
        var charset = rawCharset.lowercased()
        if let star = charset.firstIndex(of: "*") { charset = String(charset[..<star]) }  // RFC 2231 language
        switch charset {
        case "utf-8", "utf8", "us-ascii", "ascii", "":
            return String(decoding: bytes, as: UTF8.self)
        case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1":
            var scalars = String.UnicodeScalarView()
            for b in bytes { scalars.append(Unicode.Scalar(b)) }
            return String(scalars)
        default:
            return iconvDecode(Array(bytes), from: charset)
        }
    }

    private static func iconvDecode(_ input: [UInt8], from charset: String) -> String? {
        guard charset.utf8.count < 64,
              charset.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F })
        else { return nil }
        let cd = iconv_open("UTF-8", charset)
        if cd == iconv_t(bitPattern: -1) { return nil }
        defer { iconv_close(cd) }
        var output: [UInt8] = []
        output.reserveCapacity(input.count * 2)
        var scratch = [UInt8](repeating: 0, count: 4096)
        var input = input
        input.withUnsafeMutableBufferPointer { inBuf in
            guard let base = inBuf.baseAddress else { return }
            var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(base).assumingMemoryBound(to: CChar.self)
            var inLeft = inBuf.count
            while inLeft > 0 {
                let (result, produced, err) = scratch.withUnsafeMutableBufferPointer { outBuf -> (Int, Int, Int32) in
                    var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuf.baseAddress!).assumingMemoryBound(to: CChar.self)
                    var outLeft = outBuf.count
                    let r = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                    return (r, outBuf.count - outLeft, errno)
                }
                output.append(contentsOf: scratch[0..<produced])
                if result == -1 {
                    if err == E2BIG { continue }
                    // EILSEQ or EINVAL: replace one byte and go on.
                    output.append(contentsOf: [0xEF, 0xBF, 0xBD])
                    inPtr = inPtr.map { $0 + 1 }
                    inLeft -= 1
                }
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
