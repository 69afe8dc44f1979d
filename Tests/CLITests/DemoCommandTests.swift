import Foundation
import Postgres
import TestSupport
import Testing

@Suite("rapport-dev demo")
struct DemoCommandTests {
    /// One environment's line of the summary table.
    struct EnvironmentLine: Equatable {
        var name: String
        var region: String
        var status: String
        var enriched: Int
        var expected: Int
    }

    static func environmentLines(_ output: String) -> [EnvironmentLine] {
        output.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard fields.count == 9, fields[0] == "Demo", let enriched = Int(fields[7]),
                let expected = Int(fields[8].trimmingCharacters(in: CharacterSet(charactersIn: "()")))
            else { return nil }
            return EnvironmentLine(name: "Demo \(fields[1])", region: fields[2], status: fields[3], enriched: enriched, expected: expected)
        }
    }

    @Test("generates an organization, enriches it through the fake Graph in all three regions, prints the summary; twice")
    func demoTwice() async throws {
        let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("rapport-demo-\(UUID().uuidString.prefix(8))")
        TestDatabases.reapOnExit(try LocalCluster(dataDirectory: folder.appendingPathComponent("postgres")), alsoRemoving: folder)
        let arguments = ["demo", "--no-serve", "--accounts", "120", "--mailboxes", "8", "--seed", "7"]
        let first = try await RapportExecutable.runDev(arguments, environment: ["RAPPORT_DATA_DIR": folder.path])
        #expect(first.status == 0, "\(first.output)")

        // What the generator expects, from its manifest.
        let organization = folder.appendingPathComponent("demo/organization")
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: organization.appendingPathComponent("manifest.json"))) as! [String: Any]
        let expected = manifest["expected"] as! [String: Any]
        let accounts = expected["accounts"] as! [[String: Any]]
        let accountCount = (manifest["counts"] as! [String: Any])["accounts"] as! Int
        #expect(FileManager.default.fileExists(atPath: organization.appendingPathComponent("graph/tenant.json").path))

        // Every region's run succeeded with exactly the expected enriched customers.
        let lines = Self.environmentLines(first.output)
        #expect(lines.map(\.region) == ["uk", "eu", "na"], "\(first.output)")
        for line in lines {
            #expect(line.status == "succeeded")
            #expect(line.enriched == expected["enriched_customers"] as? Int)
            #expect(line.expected == expected["enriched_customers"] as? Int)
        }

        // The ten most engaged accounts, highest score first, each with the generator's own email counts.
        let byName = Dictionary(accounts.map { ($0["name"] as! String, $0) }, uniquingKeysWith: { first, _ in first })
        let top = first.output.components(separatedBy: "The ten most engaged accounts")[1].split(separator: "\n").dropFirst(2).prefix(10)
        #expect(top.count == 10)
        var previous = Int.max
        for row in top {
            let score = Int(row.prefix(7).trimmingCharacters(in: .whitespaces)) ?? -1
            #expect(score <= previous && score >= 0, "\(row)")
            previous = score
            let name = String(row.dropFirst(9).prefix(35)).trimmingCharacters(in: .whitespaces)
            let account = try #require(byName[name], "\(name) is not an active account of the manifest")
            #expect(row.contains(" \(account["emails_to_account"] as! Int)/\(account["emails_from_account"] as! Int) "), "\(row)")
        }

        // The stale-accounts segment: no email and no meeting in 60 days (or never), as the manifest's figures say.
        func old(_ value: Any?) -> Bool { (value as? Int).map { $0 > 60 } ?? true }
        let stale = accounts.filter { old($0["days_since_last_email"]) && old($0["days_since_last_meeting"]) }.count + (accountCount - accounts.count)
        #expect(first.output.contains("Stale accounts (Demo EU): \(stale) of \(accountCount) accounts"), "\(first.output)")

        // Again: the tenant is reused, consent stays granted, the results are the same, a new sign-in key.
        let second = try await RapportExecutable.runDev(arguments, environment: ["RAPPORT_DATA_DIR": folder.path])
        #expect(second.status == 0, "\(second.output)")
        #expect(second.output.contains("consent already granted"))
        #expect(Self.environmentLines(second.output).map(\.enriched) == lines.map(\.enriched))
        func key(_ output: String) -> String? {
            output.split(separator: "\n").first { $0.hasPrefix("Sign in with the owner's key: ") }.map { String($0.split(separator: " ").last!) }
        }
        #expect(key(first.output)?.hasPrefix("rpt_") == true)
        #expect(key(second.output) != nil && key(second.output) != key(first.output))
        // Another organization in the same installation: nothing of the previous one counts.
        let other = try await RapportExecutable.runDev(
            ["demo", "--no-serve", "--accounts", "90", "--mailboxes", "6", "--seed", "8"], environment: ["RAPPORT_DATA_DIR": folder.path])
        #expect(other.status == 0, "\(other.output)")
        let otherLines = Self.environmentLines(other.output)
        #expect(otherLines.count == 3)
        #expect(otherLines.allSatisfy { $0.status == "succeeded" && $0.enriched == $0.expected }, "\(other.output)")
        let tenants = try await RapportExecutable.run(["tenant", "list"], environment: ["RAPPORT_DATA_DIR": folder.path])
        #expect(tenants.output.split(separator: "\n").filter { $0.contains("Demo Org") }.count == 1)
    }
}
