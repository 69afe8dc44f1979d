/// Calendar arithmetic on the proleptic Gregorian calendar, in whole seconds since 1970 UTC.
///
/// Foundation's `Calendar` is correct but slow for millions of values; these
/// are Howard Hinnant's `days_from_civil` / `civil_from_days`.
public enum CivilTime {
    /// Days since 1970-01-01 of a year, month (1-12) and day (1-31).
    @inlinable
    public static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// The year, month and day of a count of days since 1970-01-01.
    @inlinable
    public static func civil(days z0: Int) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    /// Seconds since 1970 UTC of a civil date and time.
    @inlinable
    public static func seconds(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) -> Int {
        days(year: year, month: month, day: day) * 86400 + hour * 3600 + minute * 60 + second
    }

    /// Day of week of a day count: 0 = Monday ... 6 = Sunday.
    @inlinable
    public static func weekday(days: Int) -> Int {
        // 1970-01-01 was a Thursday (3).
        let w = (days + 3) % 7
        return w < 0 ? w + 7 : w
    }

    public static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
