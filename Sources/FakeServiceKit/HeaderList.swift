import Foundation

/// Header lookups on `(name, value)` lists (names compare case-insensitively).
public enum HeaderList {
    public static func all(_ name: String, in headers: [(name: String, value: String)]) -> [String] {
        headers.filter { $0.name.caseInsensitiveCompare(name) == .orderedSame }.map(\.value)
    }

    public static func first(_ name: String, in headers: [(name: String, value: String)]) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}
