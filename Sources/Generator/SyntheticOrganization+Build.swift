import Engagement
import Foundation

extension SyntheticOrganization {
    /// Streams of the seed, one per part of the organization, so each part is independent of the others' sizes.
    enum Stream: UInt64 {
        case directory = 1, accounts, contacts, outsiders, tiers
    }

    /// Builds the organization of `spec`: the same spec always gives the same organization.
    public init(_ spec: OrganizationSpec) {
        precondition(spec.accounts >= 1, "at least one account")
        precondition(spec.mailboxes >= 2, "at least two mailboxes")
        var book = AddressBook()
        let (directory, mailboxes, colleagues, rooms) = Self.buildDirectory(spec, &book)
        var accounts = Self.buildAccounts(spec)
        Self.assignTiers(spec, &accounts)
        let contacts = Self.buildContacts(spec, &accounts, &book)
        var outsiders = SeededRandom.stream(seed: spec.seed, Stream.outsiders.rawValue)
        var strangers: [Participant] = []
        for k in 0..<max(8, min(spec.accounts / 10, 2_000)) {
            let domain = k % 2 == 0 ? outsiders.pick(Vocabulary.freeMailDomains) : outsiders.pick(Vocabulary.strangerDomains)
            let (name, address) = book.person(&outsiders, domain: domain, freeMail: k % 2 == 0)
            strangers.append(Participant(address: address, name: name, role: .nobody))
        }
        let vendors = Vocabulary.vendorNames.map { Participant(address: "newsletter@\($0.domain)", name: $0.name, role: .nobody) }
        self.init(
            spec: spec, directory: directory, mailboxes: mailboxes, colleagues: colleagues, rooms: rooms,
            accounts: accounts, contacts: contacts, strangers: strangers, vendors: vendors)
    }

    // MARK: - Accounts

    static func buildAccounts(_ spec: OrganizationSpec) -> [SyntheticAccount] {
        var rng = SeededRandom.stream(seed: spec.seed, Stream.accounts.rawValue)
        let freeMail = FreeMailDomains.bundled
        var accounts: [SyntheticAccount] = []
        accounts.reserveCapacity(spec.accounts)
        var names = Set<String>()
        var domains = Set<String>()
        for index in 0..<spec.accounts {
            let zone = rng.pick(Vocabulary.timeZones)
            // A regional subsidiary under an earlier account's domain (eu.x.com beside x.com).
            if index >= 4, rng.chance(0.06) {
                let parentIndex = rng.below(index)
                let parent = accounts[parentIndex]
                if parent.parent == nil, let base = parent.domains.first {
                    let region = rng.pick(Vocabulary.regions)
                    let domain = "\(region.label).\(base)"
                    let name = "\(parent.name) \(region.name)"
                    if !domains.contains(domain), names.insert(name).inserted {
                        domains.insert(domain)
                        accounts.append(SyntheticAccount(
                            id: rng.uuid(), name: name, websiteURL: "https://\(domain)/", domains: [domain], parent: parentIndex,
                            tier: .active, weight: 0, team: [], contacts: 0..<0, domainPeople: [], timeZone: zone))
                        continue
                    }
                }
            }
            var first = rng.pick(Vocabulary.companyFirst)
            var second = rng.pick(Vocabulary.companySecond)
            var name = "\(first) \(second)"
            var attempt = 0
            while names.contains(name) || attempt == 0 {
                if attempt > 0 {
                    first = rng.pick(Vocabulary.companyFirst) + rng.pick(["", "wood", "field", "gate", "well", "stone", "line"])
                    second = rng.pick(Vocabulary.companySecond)
                    name = attempt > 20 ? "\(first) \(second) \(attempt)" : "\(first) \(second)"
                }
                attempt += 1
            }
            names.insert(name)
            let slug = rng.chance(0.7) ? "\(first.lowercased())-\(second.lowercased())" : "\(first.lowercased())\(second.lowercased())"
            var tld = rng.pick(Vocabulary.topLevelDomains)
            var domain = "\(slug).\(tld)"
            var n = 2
            while domains.contains(domain) || freeMail.contains(domain) {
                domain = "\(slug)\(n).\(tld)"
                n += 1
            }
            domains.insert(domain)
            var accountDomains = [domain]
            var website: String
            switch rng.below(6) {
            case 0: website = "https://www.\(domain)/"
            case 1: website = "http://\(domain)"
            case 2: website = "www.\(domain)"
            case 3: website = domain
            case 4: website = "https://www.\(domain)/en/about"
            default: website = "https://\(domain)"
            }
            if rng.chance(0.05) {
                tld = tld == "co.uk" ? "de" : "co.uk"
                let other = "\(slug).\(tld)"
                if !domains.contains(other) {
                    domains.insert(other)
                    accountDomains.append(other)
                    website += "; https://www.\(other)"
                }
            }
            if index > 0, rng.chance(0.03) {
                // No website in the CRM: its people map only through contacts.
                website = ""
                accountDomains = []
                domains.remove(domain)
            }
            if rng.chance(0.04), name.count < 30 {
                name += rng.chance(0.5) ? ", Inc." : " & Partners, Ltd"
            }
            accounts.append(SyntheticAccount(
                id: rng.uuid(), name: name, websiteURL: website, domains: accountDomains, parent: nil,
                tier: .active, weight: 0, team: [], contacts: 0..<0, domainPeople: [], timeZone: zone))
        }
        return accounts
    }

    /// Ranks the accounts at random: weights fall off as a power law; five are hot, some stale, some inactive.
    static func assignTiers(_ spec: OrganizationSpec, _ accounts: inout [SyntheticAccount]) {
        var rng = SeededRandom.stream(seed: spec.seed, Stream.tiers.rawValue)
        var order = Array(accounts.indices)
        rng.shuffle(&order)
        let n = accounts.count
        let hot = min(5, n)
        let rest = Array(order[hot...])
        let inactiveCount = n >= 10 ? max(1, n * 5 / 100) : 0
        let staleCount = n >= 8 ? max(1, n * 12 / 100) : (n >= 3 ? 1 : 0)
        // Chosen among the tail, not among the busiest.
        var tail = Array(rest.dropFirst(min(rest.count, max(0, n / 10))))
        rng.shuffle(&tail)
        let inactive = Set(tail.prefix(inactiveCount))
        let stale = Set(tail.dropFirst(inactiveCount).prefix(staleCount))
        let m = spec.mailboxes
        for (rank, index) in order.enumerated() {
            var account = accounts[index]
            account.weight = 1 / pow(Double(rank + 1), 0.9)
            account.tier = rank < hot ? .hot : inactive.contains(index) ? .inactive : stale.contains(index) ? .stale : .active
            if account.tier == .inactive { account.weight = 0 }
            let teamSize = rank < hot ? min(m, 3 + rng.below(2)) : min(m, 1 + rng.weighted([6, 3, 1]))
            account.team = rng.sample(teamSize, of: m)
            rng.shuffle(&account.team)
            accounts[index] = account
        }
    }

    // MARK: - Contacts

    static func buildContacts(_ spec: OrganizationSpec, _ accounts: inout [SyntheticAccount], _ book: inout AddressBook) -> [SyntheticContact] {
        var rng = SeededRandom.stream(seed: spec.seed, Stream.contacts.rawValue)
        let n = accounts.count
        // How many contacts each account gets.
        var counts = [Int](repeating: 0, count: n)
        if let total = spec.contacts {
            let base = total >= n ? 1 : 0
            let extra = total - base * n
            let weights = accounts.map { sqrt(max($0.weight, 0.0005)) }
            let shares = Quota.split(extra, weights: weights)
            for k in 0..<n { counts[k] = base + shares[k] }
        } else {
            for k in 0..<n {
                let busy = accounts[k].tier == .hot
                counts[k] = busy ? 5 + rng.below(4) : 1 + rng.weighted([30, 25, 17, 10, 7, 5, 3, 3])
            }
        }
        var contacts: [SyntheticContact] = []
        contacts.reserveCapacity(counts.reduce(0, +))
        for k in 0..<n {
            let account = accounts[k]
            let start = contacts.count
            let domain = account.domains.first
            for c in 0..<counts[k] {
                let id = rng.uuid()
                // The first contact always has a corporate (or, without a website, free-mail) address.
                if c > 0, rng.chance(0.03) {
                    contacts.append(SyntheticContact(id: id, account: k, person: nil, email1: "", email2: "", isFreeMail: false))
                    continue
                }
                var personDomain = domain
                var freeMail = domain == nil || (c > 0 && rng.chance(0.07))
                // A subsidiary's contact who writes from the parent's domain: the contact wins over the domain.
                if c > 0, let parent = account.parent, c == counts[k] - 1, rng.chance(0.4), let parentDomain = accounts[parent].domains.first {
                    personDomain = parentDomain
                    freeMail = false
                }
                let mailDomain = freeMail ? rng.pick(Vocabulary.freeMailDomains) : personDomain!
                let (name, address) = book.person(&rng, domain: mailDomain, freeMail: freeMail)
                let written = rng.chance(0.1) ? AddressBook.capitalized(address) : address
                var second = ""
                if rng.chance(0.12) {
                    let (_, other) = book.person(&rng, domain: rng.pick(Vocabulary.freeMailDomains), freeMail: true)
                    second = other
                }
                contacts.append(SyntheticContact(
                    id: id, account: k, person: Participant(address: address, name: name, role: .account(k)),
                    email1: written, email2: second, isFreeMail: freeMail))
            }
            accounts[k].contacts = start..<contacts.count
            if let domain, accounts[k].tier != .inactive {
                var people: [Participant] = []
                for _ in 0..<rng.weighted([4, 3, 2, 1]) {
                    let (name, address) = book.person(&rng, domain: domain, freeMail: false)
                    people.append(Participant(address: address, name: name, role: .account(k)))
                }
                accounts[k].domainPeople = people
            }
        }
        return contacts
    }
}
