extension RecurrenceRule {
    /// Most occurrences one rule yields, and most periods it walks, before giving up.
    public static let maxOccurrences = 100_000
    public static let maxPeriods = 2_000_000

    /// The wall-clock starts of the rule's occurrences, ascending, from `start` on.
    ///
    /// Works on local wall-clock seconds as RFC 5545 asks (a 09:00 weekly
    /// meeting stays at 09:00 across DST). Stops at COUNT, at UNTIL
    /// (`isPastUntil` is told each local start, since only the caller knows
    /// the zone), or when a period begins after `notAfter`. Without COUNT,
    /// periods that end before `skipBefore` are skipped without being walked.
    public func expand(
        start s0: Int, notAfter limit: Int, skipBefore: Int? = nil,
        isPastUntil: (Int) -> Bool = { _ in false }
    ) -> [Int] {
        if let count, count == 0 { return [] }
        let day0 = Self.floorDiv(s0, 86400)
        let tod0 = s0 - day0 * 86400
        let (y0, m0, d0) = CivilTime.civil(days: day0)
        let wd0 = CivilTime.weekday(days: day0)

        var byMonth = self.byMonth
        var byMonthDay = self.byMonthDay
        var byDay = self.byDay
        if byWeekNo.isEmpty && byYearDay.isEmpty && byMonthDay.isEmpty && byDay.isEmpty {
            switch frequency {
            case .yearly:
                if byMonth.isEmpty { byMonth = [m0] }
                byMonthDay = [d0]
            case .monthly:
                byMonthDay = [d0]
            case .weekly:
                byDay = [WeekdayNum(ordinal: 0, weekday: wd0)]
            default:
                break
            }
        }
        let monthScope = frequency == .monthly || (frequency == .yearly && !byMonth.isEmpty)
        let useOrdinals = frequency == .monthly || (frequency == .yearly && byWeekNo.isEmpty)
        let filter = DayFilter(
            byMonth: Set(byMonth), byMonthDay: byMonthDay, byYearDay: byYearDay, byWeekNo: byWeekNo,
            byDay: byDay, monthScope: monthScope, useOrdinals: useOrdinals, weekStart: weekStart)

        let h0 = tod0 / 3600, mi0 = (tod0 % 3600) / 60, sec0 = tod0 % 60
        let hours = byHour.isEmpty ? [h0] : byHour.sorted()
        let minutes = byMinute.isEmpty ? [mi0] : byMinute.sorted()
        let seconds = (bySecond.isEmpty ? [sec0] : bySecond.sorted()).map { min($0, 59) }

        var result: [Int] = []
        var emitted = 0
        var done = false
        var candidates: [Int] = []

        func emit(_ period: [Int]) {
            var chosen = period
            if !bySetPos.isEmpty, !period.isEmpty {
                var picked = Set<Int>()
                for p in bySetPos {
                    let idx = p > 0 ? p - 1 : period.count + p
                    if idx >= 0 && idx < period.count { picked.insert(period[idx]) }
                }
                chosen = picked.sorted()
            }
            for c in chosen where c >= s0 {
                if isPastUntil(c) { done = true; return }
                if c > limit { done = true; return }
                result.append(c)
                emitted += 1
                if let count, emitted >= count { done = true; return }
                if result.count >= Self.maxOccurrences { done = true; return }
            }
        }

        func addDay(_ day: Int) {
            for h in hours {
                for m in minutes {
                    for s in seconds { candidates.append(day * 86400 + h * 3600 + m * 60 + s) }
                }
            }
        }

        let skip = count == nil ? skipBefore : nil
        var k = 0
        switch frequency {
        case .yearly:
            if let skip { k = max(0, (CivilTime.civil(days: Self.floorDiv(skip, 86400)).year - 1 - y0) / interval) }
            while !done && k < Self.maxPeriods {
                let y = y0 + k * interval
                guard y <= 9999 else { break }
                let first = CivilTime.days(year: y, month: 1, day: 1)
                if first * 86400 > limit { break }
                let last = CivilTime.days(year: y + 1, month: 1, day: 1)
                candidates.removeAll(keepingCapacity: true)
                for day in first..<last where filter.matches(day) { addDay(day) }
                emit(candidates)
                k += 1
            }
        case .monthly:
            let mIndex0 = y0 * 12 + (m0 - 1)
            if let skip {
                let c = CivilTime.civil(days: Self.floorDiv(skip, 86400))
                k = max(0, (c.year * 12 + c.month - 1 - 1 - mIndex0) / interval)
            }
            while !done && k < Self.maxPeriods {
                let mi = mIndex0 + k * interval
                let y = mi / 12, m = mi % 12 + 1
                guard y <= 9999 else { break }
                let first = CivilTime.days(year: y, month: m, day: 1)
                if first * 86400 > limit { break }
                let last = first + CivilTime.daysInMonth(year: y, month: m)
                candidates.removeAll(keepingCapacity: true)
                for day in first..<last where filter.matches(day) { addDay(day) }
                emit(candidates)
                k += 1
            }
        case .weekly:
            let wstart = day0 - ((wd0 - weekStart + 7) % 7)
            if let skip { k = max(0, (Self.floorDiv(skip, 86400) - 7 - wstart) / (7 * interval)) }
            while !done && k < Self.maxPeriods {
                let first = wstart + k * 7 * interval
                if first * 86400 > limit { break }
                candidates.removeAll(keepingCapacity: true)
                for day in first..<(first + 7) where filter.matches(day) { addDay(day) }
                emit(candidates)
                k += 1
            }
        case .daily:
            if let skip { k = max(0, (Self.floorDiv(skip, 86400) - 1 - day0) / interval) }
            while !done && k < Self.maxPeriods {
                let day = day0 + k * interval
                if day * 86400 > limit { break }
                candidates.removeAll(keepingCapacity: true)
                if filter.matches(day) { addDay(day) }
                emit(candidates)
                k += 1
            }
        case .hourly, .minutely, .secondly:
            let unit = frequency == .hourly ? 3600 : frequency == .minutely ? 60 : 1
            let p0 = Self.floorDiv(s0, unit)
            if let skip { k = max(0, (Self.floorDiv(skip, unit) - 1 - p0) / interval) }
            let hourSet = Set(byHour), minuteSet = Set(byMinute), secondSet = Set(bySecond)
            while !done && k < Self.maxPeriods {
                let pStart = (p0 + k * interval) * unit
                if pStart > limit { break }
                k += 1
                let day = Self.floorDiv(pStart, 86400)
                let tod = pStart - day * 86400
                let h = tod / 3600, mi = (tod % 3600) / 60, se = tod % 60
                guard filter.matches(day), hourSet.isEmpty || hourSet.contains(h) else { continue }
                candidates.removeAll(keepingCapacity: true)
                switch frequency {
                case .hourly:
                    for m in minutes { for s in seconds { candidates.append(day * 86400 + h * 3600 + m * 60 + s) } }
                case .minutely:
                    guard minuteSet.isEmpty || minuteSet.contains(mi) else { continue }
                    for s in seconds { candidates.append(day * 86400 + h * 3600 + mi * 60 + s) }
                default:
                    guard minuteSet.isEmpty || minuteSet.contains(mi), secondSet.isEmpty || secondSet.contains(se) else { continue }
                    candidates.append(pStart)
                }
                emit(candidates)
            }
        }
        return result
    }

    @inline(__always)
    static func floorDiv(_ a: Int, _ b: Int) -> Int {
        a >= 0 ? a / b : -((-a + b - 1) / b)
    }
}

/// The day-level BYxxx parts of a rule, as a predicate on days since 1970.
struct DayFilter {
    let byMonth: Set<Int>
    let byMonthDay: [Int]
    let byYearDay: [Int]
    let byWeekNo: [Int]
    let byDay: [RecurrenceRule.WeekdayNum]
    let monthScope: Bool
    let useOrdinals: Bool
    let weekStart: Int

    func matches(_ day: Int) -> Bool {
        let (y, m, d) = CivilTime.civil(days: day)
        if !byMonth.isEmpty && !byMonth.contains(m) { return false }
        let dim = CivilTime.daysInMonth(year: y, month: m)
        if !byMonthDay.isEmpty && !byMonthDay.contains(where: { $0 == d || $0 == d - dim - 1 }) { return false }
        if !byYearDay.isEmpty {
            let doy = day - CivilTime.days(year: y, month: 1, day: 1) + 1
            let len = CivilTime.isLeap(y) ? 366 : 365
            if !byYearDay.contains(where: { $0 == doy || $0 == doy - len - 1 }) { return false }
        }
        if !byWeekNo.isEmpty {
            let (no, weeks) = weekNumber(day, y)
            if !byWeekNo.contains(where: { $0 == no || $0 == no - weeks - 1 }) { return false }
        }
        if !byDay.isEmpty {
            let wd = CivilTime.weekday(days: day)
            var ok = false
            for entry in byDay where entry.weekday == wd {
                if entry.ordinal == 0 || !useOrdinals { ok = true; break }
                let (index, fromEnd): (Int, Int)
                if monthScope {
                    index = (d - 1) / 7 + 1
                    fromEnd = -((dim - d) / 7 + 1)
                } else {
                    let doy = day - CivilTime.days(year: y, month: 1, day: 1)
                    let len = CivilTime.isLeap(y) ? 366 : 365
                    index = doy / 7 + 1
                    fromEnd = -((len - 1 - doy) / 7 + 1)
                }
                if entry.ordinal == index || entry.ordinal == fromEnd { ok = true; break }
            }
            if !ok { return false }
        }
        return true
    }

    /// The RFC 5545 week number of a day (weeks start on WKST; week 1 has at least 4 days of its year), and how many weeks that year has.
    func weekNumber(_ day: Int, _ year: Int) -> (Int, Int) {
        func week1Start(_ y: Int) -> Int {
            let jan1 = CivilTime.days(year: y, month: 1, day: 1)
            let off = (CivilTime.weekday(days: jan1) - weekStart + 7) % 7
            return off >= 4 ? jan1 - off + 7 : jan1 - off
        }
        var wy = year
        var start = week1Start(year)
        if day < start {
            wy = year - 1
            start = week1Start(wy)
        } else {
            let next = week1Start(year + 1)
            if day >= next {
                wy = year + 1
                start = next
            }
        }
        let weeks = (week1Start(wy + 1) - start) / 7
        return ((day - start) / 7 + 1, weeks)
    }
}
