import Foundation
import Platform

/// A licence with whether it counts as active now.
struct LicenceView: Encodable {
    var status: Licence.Status
    var seats: Int
    var expiresOn: String
    var updatedAt: Date
    var active: Bool

    init(_ licence: Licence, at moment: Date) {
        status = licence.status
        seats = licence.seats
        expiresOn = String(ISO8601DateFormatter.string(from: licence.expiresOn, timeZone: TimeZone(identifier: "UTC")!, formatOptions: [.withFullDate]))
        updatedAt = licence.updatedAt
        active = licence.isActive(at: moment)
    }
}
