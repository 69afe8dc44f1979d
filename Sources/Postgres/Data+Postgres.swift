import Foundation

/// `Data` travels as `bytea` in its `\x…` hex text form.
extension Data: PostgresEncodable, PostgresDecodable {
    public static var postgresType: PostgresType { .bytea }

    public var postgresText: String {
        let digits = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = [UInt8(ascii: "\\"), UInt8(ascii: "x")]
        bytes.reserveCapacity(2 + count * 2)
        for byte in self {
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    public static func decode(text: String, type: PostgresType, column: String) throws -> Data {
        guard type == .bytea else { throw PostgresError.wrongType(column: column, swiftType: "Data", actual: type) }
        let utf8 = Array(text.utf8)
        guard utf8.count >= 2, utf8[0] == UInt8(ascii: "\\"), utf8[1] == UInt8(ascii: "x"), utf8.count % 2 == 0 else {
            throw PostgresError.malformed(column: column, swiftType: "Data", type: type)
        }
        func nibble(_ byte: UInt8) -> UInt8? {
            switch byte {
            case 48...57: byte - 48
            case 97...102: byte - 87
            case 65...70: byte - 55
            default: nil
            }
        }
        var data = Data(capacity: (utf8.count - 2) / 2)
        var index = 2
        while index < utf8.count {
            guard let high = nibble(utf8[index]), let low = nibble(utf8[index + 1]) else {
                throw PostgresError.malformed(column: column, swiftType: "Data", type: type)
            }
            data.append(high << 4 | low)
            index += 2
        }
        return data
    }
}

extension Data: PostgresCopyField {}
