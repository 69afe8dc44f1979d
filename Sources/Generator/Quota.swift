/// Splits a total over weighted shares so the parts add up exactly (cumulative rounding).
enum Quota {
    /// Part `k` is `round(total × W(k+1)) − round(total × W(k))`, with `W` the cumulative normalized weights.
    static func split(_ total: Int, weights: [Double]) -> [Int] {
        let sum = weights.reduce(0, +)
        guard total > 0, sum > 0 else { return [Int](repeating: 0, count: weights.count) }
        var out: [Int] = []
        out.reserveCapacity(weights.count)
        var cumulative = 0.0
        var previous = 0
        for weight in weights {
            cumulative += weight
            let reached = min(total, Int((Double(total) * cumulative / sum).rounded()))
            out.append(max(0, reached - previous))
            previous = max(previous, reached)
        }
        if previous < total, let last = weights.lastIndex(where: { $0 > 0 }) { out[last] += total - previous }
        return out
    }
}
