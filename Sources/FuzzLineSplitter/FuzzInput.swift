/// A fuzz input decoded: the settings its first bytes choose, and the body.
struct FuzzInput {
    static let lineLimits = [0, 1, 2, 3, 4, 7, 8, 16, 63, 64, 100, 255, 1000, 4096, 65_536, 1 << 20]
    static let pieceCapacities = [1, 2, 3, 7, 16, 100, 4096, 65_536]

    var lineLimit: Int
    var pieceCapacity: Int
    /// Split lines after 64 KiB of complete lines (bit 7 of byte 0).
    var filler: Bool
    /// Chunk sizes used in turn; zero means an empty chunk.
    var chunkSizes: [Int]
    var body: [UInt8]

    init(_ bytes: [UInt8]) {
        let settings = bytes.first ?? 0
        lineLimit = Self.lineLimits[Int(settings & 0x0F)]
        pieceCapacity = Self.pieceCapacities[Int(settings >> 4 & 0x07)]
        filler = settings & 0x80 != 0
        let layout = bytes.count > 1 ? bytes[1] : 0
        let count = Int(layout & 0x07)
        let scale = 1 << (4 * Int(layout >> 3 & 0x03))
        let sizes = bytes.dropFirst(2).prefix(count)
        chunkSizes = sizes.map { Int($0) * scale }
        body = Array(bytes.dropFirst(2 + sizes.count))
    }

    /// `bytes` cut by `chunkSizes` (cycled), or whole when the sizes hold no bytes.
    func chunks(of bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        guard chunkSizes.contains(where: { $0 > 0 }) else { return [bytes[...]] }
        var chunks: [ArraySlice<UInt8>] = []
        var start = 0
        var next = 0
        while start < bytes.count {
            let end = min(start + chunkSizes[next % chunkSizes.count], bytes.count)
            chunks.append(bytes[start..<end])
            start = end
            next += 1
        }
        return chunks
    }

    /// A short account of a cut, for failure messages.
    static func describe<Chunk: Collection>(_ chunks: [Chunk]) -> String {
        "\(chunks.count) chunks of \(chunks.prefix(6).map(\.count))\(chunks.count > 6 ? "…" : "")"
    }
}
