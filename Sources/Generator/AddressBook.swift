/// Makes person names and addresses, each address once in the whole organization.
struct AddressBook {
    private var used = Set<String>()

    /// A display name and a unique lowercase address at `domain`.
    mutating func person(_ rng: inout SeededRandom, domain: String, freeMail: Bool) -> (name: String, address: String) {
        let first: String
        let last: String
        let display: String
        if rng.chance(0.06) {
            let accented = rng.pick(Vocabulary.accentedNames)
            display = accented.display
            first = accented.first
            last = accented.last
        } else {
            let f = rng.pick(Vocabulary.firstNames)
            let l = rng.pick(Vocabulary.lastNames)
            display = "\(f) \(l)"
            first = f.lowercased()
            last = l.lowercased()
        }
        var local: String
        if freeMail {
            local = rng.chance(0.5) ? "\(first).\(last)\(rng.int(in: 1...99))" : "\(first)\(last)"
        } else {
            switch rng.weighted([6, 2, 1, 1]) {
            case 0: local = "\(first).\(last)"
            case 1: local = "\(first.prefix(1))\(last)"
            case 2: local = first
            default: local = "\(first)_\(last)"
            }
        }
        var address = "\(local)@\(domain)"
        var n = 2
        while !used.insert(address).inserted {
            address = "\(local)\(n)@\(domain)"
            n += 1
        }
        return (display, address)
    }

    /// Reserves an address that is not made here (a room, a role address).
    mutating func reserve(_ address: String) {
        used.insert(address)
    }

    /// `ada.lovelace@x.com` as a CRM sometimes holds it: `Ada.Lovelace@X.com`.
    static func capitalized(_ address: String) -> String {
        var out = ""
        var upper = true
        for c in address {
            out.append(upper ? Character(c.uppercased()) : c)
            upper = c == "." || c == "@" || c == "_"
        }
        return out
    }
}
