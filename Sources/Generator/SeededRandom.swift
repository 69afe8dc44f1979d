#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A seeded, reproducible random number generator: xoshiro256** seeded through SplitMix64.
///
/// Every draw the generator makes goes through the helpers here (never the
/// standard library's `random(in:)`, whose algorithm may change between Swift
/// releases), so one seed gives the same organization on every machine.
/// `fork` derives an independent stream from labels, so each account's
/// activity depends only on the seed and the account, not on generation order.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    public init(seed: UInt64) {
        var sm = seed
        s0 = Self.splitMix(&sm)
        s1 = Self.splitMix(&sm)
        s2 = Self.splitMix(&sm)
        s3 = Self.splitMix(&sm)
        if s0 | s1 | s2 | s3 == 0 { s0 = 1 }
    }

    static func splitMix(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A generator for one purpose (`labels`), independent of every other draw from the seed.
    public static func stream(seed: UInt64, _ labels: UInt64...) -> SeededRandom {
        var state = seed
        var mixed = splitMix(&state)
        for label in labels {
            var s = mixed ^ (label &* 0xD1B5_4A32_D192_ED03)
            mixed = splitMix(&s)
        }
        return SeededRandom(seed: mixed)
    }

    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// A uniform integer in `0..<n` (Lemire's method); 0 when `n <= 1`.
    public mutating func below(_ n: Int) -> Int {
        guard n > 1 else { return 0 }
        let bound = UInt64(n)
        var product = next().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound
            while product.low < threshold { product = next().multipliedFullWidth(by: bound) }
        }
        return Int(product.high)
    }

    /// A uniform integer in `range`.
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// A uniform double in `[0, 1)` with 53 random bits.
    public mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// True with probability `p`.
    public mutating func chance(_ p: Double) -> Bool {
        unit() < p
    }

    /// A standard normal draw (Box–Muller; one value per call).
    public mutating func normal() -> Double {
        let u1 = max(unit(), 0x1.0p-53)
        let u2 = unit()
        return sqrt(-2 * log(u1)) * cos(2 * Double.pi * u2)
    }

    /// A log-normal draw with the given median and shape.
    public mutating func logNormal(median: Double, sigma: Double) -> Double {
        median * exp(sigma * normal())
    }

    /// A geometric count `>= 0` with mean `mean`.
    public mutating func geometric(mean: Double) -> Int {
        guard mean > 0 else { return 0 }
        let p = 1 / (1 + mean)
        let u = max(unit(), 0x1.0p-53)
        return Int(log(u) / log(1 - p))
    }

    /// One element of a non-empty array.
    public mutating func pick<T>(_ items: [T]) -> T {
        items[below(items.count)]
    }

    /// An index drawn with the given non-negative weights (the last index if they are all zero).
    public mutating func weighted(_ weights: [Double]) -> Int {
        let total = weights.reduce(0, +)
        var target = unit() * total
        for (index, weight) in weights.enumerated() {
            target -= weight
            if target < 0 { return index }
        }
        return weights.count - 1
    }

    /// The items in a random order (Fisher–Yates).
    public mutating func shuffle<T>(_ items: inout [T]) {
        guard items.count > 1 else { return }
        for i in stride(from: items.count - 1, to: 0, by: -1) {
            let j = below(i + 1)
            if i != j { items.swapAt(i, j) }
        }
    }

    /// `count` distinct indices of `0..<n`, in increasing order.
    public mutating func sample(_ count: Int, of n: Int) -> [Int] {
        guard count < n else { return Array(0..<n) }
        var chosen = Set<Int>()
        var out: [Int] = []
        while out.count < count {
            let k = below(n)
            if chosen.insert(k).inserted { out.append(k) }
        }
        return out.sorted()
    }

    /// `count` lowercase hex digits.
    public mutating func hex(_ count: Int) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        var word = next()
        var left = 16
        for _ in 0..<count {
            if left == 0 {
                word = next()
                left = 16
            }
            bytes.append(Self.hexDigits[Int(word & 15)])
            word >>= 4
            left -= 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A random (version 4 shaped) UUID string, lowercase.
    public mutating func uuid() -> String {
        let h = hex(32)
        let u = Array(h.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(36)
        for (i, c) in u.enumerated() {
            if i == 8 || i == 12 || i == 16 || i == 20 { out.append(UInt8(ascii: "-")) }
            if i == 12 {
                out.append(UInt8(ascii: "4"))
            } else if i == 16 {
                out.append(Self.hexDigits[8 + Int(c % 4)])
            } else {
                out.append(c)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}
