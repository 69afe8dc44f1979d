/// A component of an iCalendar stream (`VCALENDAR`, `VEVENT`, `VTIMEZONE`, `STANDARD`, ...).
///
/// Parsing is forgiving: lines are unfolded (CRLF, LF or a lone CR followed
/// by a space or tab), a UTF-8 BOM is dropped, lines without a `:` are
/// skipped, an `END` naming no open component closes the innermost one (below the calendar), an `END` of an outer
/// component closes the inner ones, and components still open at the end of
/// the file are closed.
public struct ICalComponent: Sendable, Hashable {
    /// Upper-case component name.
    public var name: String
    public var properties: [ICalProperty]
    public var children: [ICalComponent]

    public init(name: String, properties: [ICalProperty] = [], children: [ICalComponent] = []) {
        self.name = name
        self.properties = properties
        self.children = children
    }

    /// The first property with that name.
    public func property(_ name: String) -> ICalProperty? {
        properties.first { $0.name == name }
    }

    /// Every property with that name, in order.
    public func properties(_ name: String) -> [ICalProperty] {
        properties.filter { $0.name == name }
    }

    /// Components nested deeper than this (real calendars nest 3 deep) are skipped.
    public static let maxDepth = 32

    /// Parses a whole stream; the result is a root named "" whose children are the top-level components.
    public static func parse(_ bytes: [UInt8]) -> ICalComponent {
        var stack = [ICalComponent(name: "")]
        var ignored = 0  // components nested deeper than maxDepth, skipped whole
        forEachUnfoldedLine(bytes) { line in
            guard let prop = ICalProperty.parse(line) else { return }
            if prop.name == "BEGIN" {
                if ignored > 0 || stack.count > maxDepth { ignored += 1; return }
                let n = prop.value.trimmingSpaces().uppercased()
                stack.append(ICalComponent(name: n))
                return
            }
            if ignored > 0 {
                if prop.name == "END" { ignored -= 1 }
                return
            }
            if prop.name == "END" {
                let n = prop.value.trimmingSpaces().uppercased()
                // An END naming no open component (`END:VTOOD`) closes the innermost one below the calendar.
                guard let idx = stack.lastIndex(where: { $0.name == n }) ?? (stack.count > 2 ? stack.count - 1 : nil), idx > 0 else { return }
                while stack.count > idx {
                    let done = stack.removeLast()
                    stack[stack.count - 1].children.append(done)
                }
                return
            }
            if stack.count > 1 { stack[stack.count - 1].properties.append(prop) }
        }
        while stack.count > 1 {
            let done = stack.removeLast()
            stack[stack.count - 1].children.append(done)
        }
        return stack[0]
    }

    /// Calls `body` with each unfolded line.
    static func forEachUnfoldedLine(_ bytes: [UInt8], _ body: (Substring) -> Void) {
        var start = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
        var current: [UInt8] = []
        var i = start
        let n = bytes.count
        var lineStart = start
        func emit() {
            if !current.isEmpty {
                body(Substring(String(decoding: current, as: UTF8.self)))
                current.removeAll(keepingCapacity: true)
            }
        }
        while i <= n {
            if i == n || bytes[i] == 0x0A || bytes[i] == 0x0D {
                let line = bytes[lineStart..<i]
                if i < n, bytes[i] == 0x0D, i + 1 < n, bytes[i + 1] == 0x0A { i += 1 }
                if line.isEmpty {
                    // Blank lines are dropped; a continuation after them still continues (as Python's icalendar reads it).
                } else if let f = line.first, f == 0x20 || f == 0x09 {
                    current.append(contentsOf: line.dropFirst())
                } else {
                    emit()
                    current.append(contentsOf: line)
                }
                i += 1
                lineStart = i
                continue
            }
            i += 1
        }
        emit()
    }
}
