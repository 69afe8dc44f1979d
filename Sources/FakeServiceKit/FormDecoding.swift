import Foundation

/// Query strings and form bodies.
public enum FormDecoding {
    /// `a=1&b=2`, percent-decoded; `+` is a space only in form bodies.
    public static func decode(_ text: String, plusIsSpace: Bool) -> [String: String] {
        var result: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { part -> String in
                let raw = plusIsSpace ? part.replacingOccurrences(of: "+", with: " ") : String(part)
                return raw.removingPercentEncoding ?? raw
            }
            if let key = parts.first { result[key] = parts.count > 1 ? parts[1] : "" }
        }
        return result
    }
}
