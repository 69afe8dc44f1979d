#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// RFC 2047 "B" encoded words for header text that is not plain ASCII.
enum EncodedWord {
    /// UTF-8 bytes per word: a multiple of 3, so that `Subject: ` and one word fit in 76 characters.
    static let bytesPerWord = 36

    /// The header value for `text`: as is when it is short printable ASCII, else
    /// `=?UTF-8?B?…?=` words of whole characters, folded with CRLF SP.
    static func headerValue(_ text: String) -> String {
        if needsNoEncoding(text) { return text }
        var words: [String] = []
        var chunk: [UInt8] = []
        for scalar in text.unicodeScalars {
            let bytes = Array(String(scalar).utf8)
            if chunk.count + bytes.count > bytesPerWord {
                words.append(word(chunk))
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append(word(chunk)) }
        return words.joined(separator: "\r\n ")
    }

    private static func needsNoEncoding(_ text: String) -> Bool {
        text.utf8.count <= 900
            && text.unicodeScalars.allSatisfy { (0x20...0x7E).contains($0.value) }
            && !text.contains("=?")
    }

    private static func word(_ bytes: [UInt8]) -> String {
        "=?UTF-8?B?\(Data(bytes).base64EncodedString())?="
    }
}
