import Engagement
import FakeServiceKit
import Foundation

/// Graph's shapes of recipients and times.
extension JSONBytes {
    /// Graph's `emailAddress` wrapper: `{"emailAddress": {"name", "address"}}`.
    static func recipient(_ address: String) -> [UInt8] {
        let name = address.split(separator: "@").first.map { $0.replacingOccurrences(of: ".", with: " ").capitalized } ?? address
        return object([("emailAddress", object([("name", string(name)), ("address", string(address))]))])
    }

    /// `2025-03-01T09:30:00Z`.
    static func timestamp(_ date: Date) -> String {
        RFC3339UTC.string(from: date)
    }

    /// Graph's `dateTimeTimeZone` in UTC: `{"dateTime": "2025-03-01T09:30:00.0000000", "timeZone": "UTC"}`.
    static func dateTimeTimeZone(_ date: Date) -> [UInt8] {
        let text = String(timestamp(date).dropLast()) + ".0000000"
        return object([("dateTime", string(text)), ("timeZone", string("UTC"))])
    }

    /// Parses `2025-03-01T09:30:00Z` (or with a fraction, or without the zone: UTC).
    static func date(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 19 else { return nil }
        func number(_ range: Range<Int>) -> Int? { Int(String(decoding: bytes[range], as: UTF8.self)) }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), let hour = number(11..<13),
            let minute = number(14..<16), let second = number(17..<19)
        else { return nil }
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        return Date(timeIntervalSince1970: TimeInterval(days * 86_400 + hour * 3600 + minute * 60 + second))
    }
}
