/// Splits RFC 4180 CSV into rows of fields.
///
/// Quoted fields may hold the delimiter, newlines and doubled quotes; a
/// UTF-8 BOM is dropped; CRLF, LF and lone CR end records. The delimiter is
/// `,` or `;`, whichever occurs more often (outside quotes) in the first
/// record, unless given. A quote that is never closed is an error naming
/// the row it opened in.
public struct CSVReader {
    public struct Row: Sendable, Equatable {
        /// 1-based record number (the header is row 1).
        public var number: Int
        public var fields: [String]
    }

    public static func rows(_ bytes: [UInt8], delimiter: UInt8? = nil) throws(IngestError) -> [Row] {
        var start = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
        let delim = delimiter ?? detectDelimiter(bytes, from: start)
        var rows: [Row] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var i = start
        let n = bytes.count
        var number = 1
        var quoted = false
        var quoteRow = 0
        var fieldStarted = false
        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            fieldStarted = false
        }
        func endRecord() {
            endField()
            if !(fields.count == 1 && fields[0].isEmpty) { rows.append(Row(number: number, fields: fields)) }
            fields.removeAll(keepingCapacity: true)
            number += 1
        }
        while i < n {
            let b = bytes[i]
            if quoted {
                if b == UInt8(ascii: "\"") {
                    if i + 1 < n, bytes[i + 1] == UInt8(ascii: "\"") {
                        field.append(b)
                        i += 2
                        continue
                    }
                    quoted = false
                    i += 1
                    continue
                }
                field.append(b)
                i += 1
                continue
            }
            switch b {
            case UInt8(ascii: "\"") where !fieldStarted || field.allSatisfy({ $0 == 0x20 }):
                field.removeAll(keepingCapacity: true)
                quoted = true
                quoteRow = number
                fieldStarted = true
            case delim:
                endField()
            case 0x0D:
                endRecord()
                if i + 1 < n, bytes[i + 1] == 0x0A { i += 1 }
            case 0x0A:
                endRecord()
            default:
                field.append(b)
                fieldStarted = true
            }
            i += 1
        }
        if quoted { throw IngestError(.malformed, "a quoted field is never closed", line: quoteRow) }
        if fieldStarted || !fields.isEmpty || !field.isEmpty { endRecord() }
        return rows
    }

    static func detectDelimiter(_ bytes: [UInt8], from start: Int) -> UInt8 {
        var commas = 0, semicolons = 0
        var quoted = false
        var i = start
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") { quoted.toggle() }
            if !quoted {
                if b == 0x0A || b == 0x0D { break }
                if b == UInt8(ascii: ",") { commas += 1 }
                if b == UInt8(ascii: ";") { semicolons += 1 }
            }
            i += 1
        }
        return semicolons > commas ? UInt8(ascii: ";") : UInt8(ascii: ",")
    }
}
