/// The text form of one-dimensional PostgreSQL arrays: `{a,"b c",NULL}`.
enum PostgresArrayText {
    /// Quotes one element so any content survives: backslash and double quote escaped.
    static func quote(_ element: String) -> String {
        var quoted = "\""
        for character in element.unicodeScalars {
            if character == "\"" || character == "\\" { quoted.unicodeScalars.append("\\") }
            quoted.unicodeScalars.append(character)
        }
        quoted += "\""
        return quoted
    }

    /// Splits an array literal into elements; `nil` elements are SQL NULLs.
    ///
    /// Returns `nil` for text that is not a one-dimensional array literal.
    static func parse(_ text: String) -> [String?]? {
        var scalars = Substring(text).unicodeScalars[...]
        // An explicit lower bound, e.g. "[0:1]={a,b}", is skipped.
        if scalars.first == "[" {
            guard let equals = scalars.firstIndex(of: "=") else { return nil }
            scalars = scalars[scalars.index(after: equals)...]
        }
        guard scalars.first == "{", scalars.last == "}" else { return nil }
        scalars = scalars.dropFirst().dropLast()
        var elements: [String?] = []
        if scalars.isEmpty { return elements }
        var index = scalars.startIndex
        while true {
            var element = String.UnicodeScalarView()
            var quoted = false
            if index < scalars.endIndex, scalars[index] == "\"" {
                quoted = true
                index = scalars.index(after: index)
                while true {
                    guard index < scalars.endIndex else { return nil }
                    let scalar = scalars[index]
                    if scalar == "\\" {
                        index = scalars.index(after: index)
                        guard index < scalars.endIndex else { return nil }
                        element.append(scalars[index])
                    } else if scalar == "\"" {
                        index = scalars.index(after: index)
                        break
                    } else {
                        element.append(scalar)
                    }
                    index = scalars.index(after: index)
                }
            } else {
                while index < scalars.endIndex, scalars[index] != "," {
                    if scalars[index] == "{" { return nil }  // nested arrays are not supported
                    element.append(scalars[index])
                    index = scalars.index(after: index)
                }
            }
            let value = String(element)
            elements.append(!quoted && value == "NULL" ? nil : value)
            if index == scalars.endIndex { break }
            guard scalars[index] == "," else { return nil }
            index = scalars.index(after: index)
        }
        return elements
    }
}
