import Foundation
import Postgres
import TestSupport
import Testing

@Suite("Operator commands")
struct OperatorWalkThroughTests {
    @Test("from an empty installation to a passing rapport check, as the README shows")
    func walkThrough() async throws {
        let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("rapport-ops-\(UUID().uuidString.prefix(8))")
        TestDatabases.reapOnExit(try LocalCluster(dataDirectory: folder.appendingPathComponent("postgres")), alsoRemoving: folder)
        let environment = ["RAPPORT_DATA_DIR": folder.path]
        func rapport(_ arguments: String...) async throws -> ChildProcess.Result {
            try await RapportExecutable.run(arguments, environment: environment)
        }
        func succeed(_ arguments: String...) async throws -> String {
            let result = try await RapportExecutable.run(arguments, environment: environment)
            #expect(result.status == 0, "rapport \(arguments.joined(separator: " ")): \(result.output)")
            return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
        }

        // Before migrating, commands say what to do.
        _ = try await succeed("db", "start")
        let early = try await rapport("tenant", "list")
        #expect(early.status == 2)
        #expect(early.output.contains("rapport migrate"))
        _ = try await succeed("migrate")

        let tenant = try await succeed("tenant", "create", "--name", "Contoso", "--domain", "contoso.example", "--domain", "contoso.co.uk")
        #expect(UUID(uuidString: tenant) != nil)
        for region in ["uk", "eu", "na"] {
            _ = try await succeed("environment", "create", "--tenant", "Contoso", "--name", "Sales \(region)", "--region", region)
        }
        let badRegion = try await rapport("environment", "create", "--tenant", "Contoso", "--name", "Moon", "--region", "moon")
        #expect(badRegion.status != 0)
        let adminKey = try await succeed("key", "create", "--tenant", "Contoso", "--email", "ada@contoso.example", "--name", "Ada", "--role", "admin", "--environment", "Sales eu")
        #expect(adminKey.hasPrefix("rpt_"))

        // Before the data and the rest are present the check fails, with remedies, exit 1.
        let failing = try await rapport("check", "--tenant", "Contoso", "--environment", "Sales eu", "--key", adminKey)
        #expect(failing.status == 1, "\(failing.output)")
        #expect(failing.output.contains("[FAIL] office365_licence"))
        #expect(failing.output.contains("remedy:"))
        #expect(failing.output.contains("[pass] admin_role"))

        _ = try await succeed("licence", "set", "--tenant", "Contoso", "--status", "active", "--seats", "50", "--expires", "2099-12-31")
        _ = try await succeed(
            "dataverse", "attach", "--tenant", "Contoso", "--environment", "Sales eu", "--url", "https://contoso.crm4.dynamics.com",
            "--organization-id", UUID().uuidString)
        let insecure = try await rapport(
            "dataverse", "attach", "--tenant", "Contoso", "--environment", "Sales eu", "--url", "http://contoso.crm4.dynamics.com",
            "--organization-id", UUID().uuidString)
        #expect(insecure.status == 2)
        #expect(insecure.output.contains("organization_url"))
        _ = try await succeed("key", "create", "--tenant", "Contoso", "--email", "it@contoso.example", "--role", "o365_admin")

        let accounts = folder.appendingPathComponent("accounts.csv")
        let contacts = folder.appendingPathComponent("contacts.csv")
        try "accountid,name,websiteurl\nA1,Fabrikam,https://www.fabrikam.example/\nA2,Tailspin,tailspin.example\n".write(to: accounts, atomically: true, encoding: .utf8)
        try "contactid,parentcustomerid,emailaddress1\nC1,A1,jo@fabrikam.example\nC2,A2,\n".write(to: contacts, atomically: true, encoding: .utf8)
        let imported = try await succeed("import", "--tenant", "Contoso", "--environment", "Sales eu", accounts.path, contacts.path)
        #expect(imported.contains("2 accounts, 2 contacts, 1 contact email"))

        // A contact naming an unknown account: the error names it and nothing changes.
        try "contactid,parentcustomerid,emailaddress1\nC9,NOPE,x@y.example\n".write(to: contacts, atomically: true, encoding: .utf8)
        let broken = try await rapport("import", "--tenant", "Contoso", "--environment", "Sales eu", accounts.path, contacts.path)
        #expect(broken.status == 2)
        #expect(broken.output.contains("NOPE"))

        let passing = try await rapport("check", "--tenant", "Contoso", "--environment", "Sales eu", "--key", adminKey)
        #expect(passing.status == 0, "\(passing.output)")
        #expect(passing.output.contains("2 business accounts, 2 contacts, 1 contact email"))
        let json = try await rapport("check", "--tenant", "Contoso", "--environment", "Sales eu", "--json")
        #expect(json.status == 0)
        let parsed = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any]
        #expect((parsed?["checks"] as? [[String: Any]])?.count == 5)

        // Another environment of the tenant has no data: it fails there.
        let other = try await rapport("check", "--tenant", "Contoso", "--environment", "Sales uk")
        #expect(other.status == 1)
        let usage = try await rapport("check", "--tenant", "Nobody", "--environment", "x")
        #expect(usage.status == 2)
        _ = try await succeed("db", "stop")
    }
}
