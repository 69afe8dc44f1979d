import Foundation

/// The state a fake delta or skip token carries: what round, which snapshot, where in it.
struct FakeSyncToken: Sendable, Equatable {
    enum Mode: String, Sendable {
        /// Paging through a full sync of the snapshot `from`.
        case full = "f"
        /// A deltaLink: changes after `from`.
        case delta = "d"
        /// Paging through the changes in `(from, to]`.
        case changes = "c"
    }

    var mode: Mode
    var from: Int
    var to: Int
    var offset: Int
    var rangeStart: Int
    var rangeEnd: Int?
    /// `$select` of the first request, comma separated.
    var select: String?
    /// The most messages a filtered full round returns.
    var cap: Int?

    var encoded: String {
        let select = self.select.map { Data($0.utf8).base64EncodedString() } ?? "-"
        let text = "v1.\(mode.rawValue).\(from).\(to).\(offset).\(rangeStart).\(rangeEnd.map(String.init) ?? "-").\(select).\(cap.map(String.init) ?? "-")"
        return Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    init(mode: Mode, from: Int, to: Int = 0, offset: Int = 0, rangeStart: Int, rangeEnd: Int?, select: String?, cap: Int? = nil) {
        self.mode = mode
        self.from = from
        self.to = to
        self.offset = offset
        self.rangeStart = rangeStart
        self.rangeEnd = rangeEnd
        self.select = select
        self.cap = cap
    }

    init?(_ text: String) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64) else { return nil }
        let parts = String(decoding: data, as: UTF8.self).split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 9, parts[0] == "v1", let mode = Mode(rawValue: parts[1]), let from = Int(parts[2]), let to = Int(parts[3]),
            let offset = Int(parts[4]), let rangeStart = Int(parts[5])
        else { return nil }
        self.mode = mode
        self.from = from
        self.to = to
        self.offset = offset
        self.rangeStart = rangeStart
        self.rangeEnd = Int(parts[6])
        self.select = parts[7] == "-" ? nil : Data(base64Encoded: parts[7]).map { String(decoding: $0, as: UTF8.self) }
        self.cap = Int(parts[8])
    }
}
