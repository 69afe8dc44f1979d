/// Byte-order comparison of strings (UTF-8 code units), the order PostgreSQL's `COLLATE "C"` uses.
enum ByteOrder {
    /// True when `a` sorts before `b` by their UTF-8 bytes.
    static func less(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    /// The distinct strings of `values`, sorted by their UTF-8 bytes.
    static func sortedDistinct<S: Sequence<String>>(_ values: S) -> [String] {
        Set(values).sorted(by: less)
    }
}
