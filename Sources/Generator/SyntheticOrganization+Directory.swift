import Foundation

extension SyntheticOrganization {
    /// The directory: the selected users in nested sales groups and Customer Success, colleagues in other teams.
    ///
    /// The selection is the groups `sales@` (Sales EMEA, Sales Americas, which
    /// nests Sales Americas East) and `customer-success@`, plus one address
    /// picked alone (the head of partnerships); one user sits in two selected
    /// groups. It resolves to exactly the selected mailboxes. Colleagues (at
    /// least enough for a 50+ person all-hands) sit in Engineering, Support
    /// and All Staff, a few at the `uk.` subdomain.
    static func buildDirectory(_ spec: OrganizationSpec, _ book: inout AddressBook)
        -> (Directory, mailboxes: [Participant], colleagues: [Participant], rooms: [Participant])
    {
        var rng = SeededRandom.stream(seed: spec.seed, Stream.directory.rawValue)
        let domain = spec.domain
        let m = spec.mailboxes
        let colleagueCount = max(56 - m, m / 2)
        var users: [DirectoryUser] = []
        var mailboxes: [Participant] = []
        var colleagues: [Participant] = []
        for k in 0..<(m + colleagueCount) {
            let selected = k < m
            let userDomain = !selected && k % 9 == 4 ? "uk.\(domain)" : domain
            let (name, address) = book.person(&rng, domain: userDomain, freeMail: false)
            let upn = rng.chance(0.15) ? "\(address.split(separator: "@")[0])@\(domain.split(separator: ".")[0]).onmicrosoft.com" : address
            let department: String
            if selected {
                department = k == 0 ? "Partnerships" : "Sales"
                mailboxes.append(Participant(address: address, name: name, role: .selected(k)))
            } else {
                department = k == m ? "Executive" : (k % 3 == 0 ? "Support" : "Engineering")
                colleagues.append(Participant(address: address, name: name, role: .colleague))
            }
            users.append(DirectoryUser(
                id: rng.uuid(), mail: address, userPrincipalName: upn, displayName: name, department: department,
                mailbox: selected ? k : nil))
        }
        // Split the selected users (except the one picked alone) over the selected groups.
        let rest = Array(1..<m)
        let customerSuccess = Array(rest.prefix(rest.count / 5))
        let afterCS = Array(rest.dropFirst(customerSuccess.count))
        let emea = Array(afterCS.prefix((afterCS.count * 5 + 8) / 9))
        let americas = Array(afterCS.dropFirst(emea.count))
        let americasDirect = Array(americas.prefix((americas.count + 1) / 2))
        let americasEast = Array(americas.dropFirst(americasDirect.count))
        func ids(_ indices: [Int]) -> [String] { indices.map { users[$0].id } }
        var groups: [DirectoryGroup] = []
        func group(_ name: String, _ mail: String, _ members: [String]) -> String {
            let id = rng.uuid()
            groups.append(DirectoryGroup(id: id, displayName: name, mail: "\(mail)@\(domain)", members: members))
            return id
        }
        let eastID = group("Sales Americas East", "sales-americas-east", ids(americasEast))
        let americasID = group("Sales Americas", "sales-americas", ids(americasDirect) + [eastID])
        // One Customer Success member also sits in Sales EMEA: resolved once.
        let emeaID = group("Sales EMEA", "sales-emea", ids(emea) + ids(Array(customerSuccess.prefix(1))))
        let salesID = group("Sales", "sales", [emeaID, americasID])
        let csID = group("Customer Success", "customer-success", ids(customerSuccess))
        let colleagueUsers = Array(m..<(m + colleagueCount))
        let engineeringID = group("Engineering", "engineering", ids(colleagueUsers.filter { users[$0].department == "Engineering" }))
        let supportID = group("Support", "support", ids(colleagueUsers.filter { users[$0].department == "Support" }))
        _ = group("All Staff", "all-staff", [salesID, csID, engineeringID, supportID, users[0].id, users[m].id])
        var rooms: [Participant] = []
        for (k, city) in ["london", "berlin", "new-york"].enumerated() {
            let address = "room-\(city)-\(k + 1)@\(domain)"
            book.reserve(address)
            rooms.append(Participant(address: address, name: "Room \(city.capitalized) \(k + 1)", role: .colleague, isRoom: true))
        }
        let directory = Directory(
            users: users, groups: groups, selectedGroups: ["sales@\(domain)", "customer-success@\(domain)"],
            selectedAddresses: [users[0].mail])
        return (directory, mailboxes, colleagues, rooms)
    }
}
