import FakeServiceKit

/// One item of a mailbox folder as the fake serves it: rendered JSON members and its change history.
struct FakeItem: Sendable {
    /// `(name, JSON value)` pairs, in Graph's order.
    var members: [(String, [UInt8])]
    /// `#microsoft.graph.message` or `#microsoft.graph.event`.
    var odataType: String
    /// Messages: receivedDateTime; events: start (seconds since 1970).
    var start: Int
    /// Events: end; messages: the same as start.
    var end: Int
    var createdSeq = 0
    var changedSeq = 0
    var removedSeq: Int?

    /// The last change, in the folder's sequence.
    var lastChange: Int { max(createdSeq, changedSeq, removedSeq ?? 0) }

    /// The item with only the selected members (`id` and `@odata.type` always), or all without a selection.
    func rendered(select: Set<String>?) -> [UInt8] {
        guard let select else { return JSONBytes.object(members) }
        return JSONBytes.object(members.filter { select.contains($0.0) || $0.0 == "id" || $0.0.hasPrefix("@odata") })
    }

    /// Graph's tombstone for a removed item.
    func removal(id: String) -> [UInt8] {
        JSONBytes.object([
            ("@odata.type", JSONBytes.string(odataType)), ("id", JSONBytes.string(id)),
            ("@removed", JSONBytes.object([("reason", JSONBytes.string("deleted"))])),
        ])
    }
}

/// A stable, Graph-looking id from any text (two FNV-1a 64 hashes).
func fakeID(_ prefix: String, _ text: String) -> String {
    var a: UInt64 = 0xcbf2_9ce4_8422_2325
    var b: UInt64 = 0x8422_2325_cbf2_9ce4
    for byte in text.utf8 {
        a = (a ^ UInt64(byte)) &* 0x100_0000_01b3
        b = (b ^ UInt64(byte)) &* 0x100_0000_01b3 &+ 0x9E37_79B9
    }
    return prefix + String(a, radix: 16) + String(b, radix: 16)
}
