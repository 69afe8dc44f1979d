/// Floor division for day arithmetic on times before 1970.
enum RecurrenceDays {
    static func floorDiv(_ a: Int, _ b: Int) -> Int {
        a >= 0 ? a / b : -((-a + b - 1) / b)
    }
}
