import Foundation
import Testing
@testable import Engagement

@Suite("Free-mail domains")
struct FreeMailDomainsTests {
    let list = FreeMailDomains.bundled

    @Test(arguments: [
        "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "hotmail.co.uk", "hotmail.fr", "hotmail.com.br",
        "yahoo.com", "yahoo.co.uk", "yahoo.co.jp", "yahoo.de", "gmx.de", "gmx.net", "gmx.at", "live.com", "live.nl",
        "msn.com", "web.de", "icloud.com", "me.com", "mac.com", "proton.me", "protonmail.com", "aol.com", "aol.co.uk",
        "mail.ru", "yandex.ru", "yandex.com", "qq.com", "163.com", "t-online.de", "orange.fr", "free.fr",
        "btinternet.com", "comcast.net", "verizon.net", "GMAIL.COM", "gmail.com.", "mail.yahoo.co.uk", "eu.gmail.com",
    ])
    func freeMail(_ domain: String) {
        #expect(list.contains(domain))
    }

    @Test(arguments: [
        "contoso.com", "orange.com", "yahoo-inc.com", "hotmailer.com", "myhotmail.com", "gmail.contoso.com",
        "live.nation.com", "yahoo.contoso.com", "yahoo.com.evil.net", "com", "", "free.com", "microsoft.com",
    ])
    func notFreeMail(_ domain: String) {
        #expect(!list.contains(domain))
    }

    @Test func familyNeedsAPublicSuffix() {
        let l = FreeMailDomains(["yahoo.*"])
        #expect(l.contains("yahoo.com"))
        #expect(l.contains("yahoo.com.ar"))
        #expect(l.contains("yahoo.ne.jp"))
        #expect(!l.contains("yahoo.acme.com"))
        #expect(!l.contains("yahoo.com.brazil"))
        #expect(!l.contains("yahoo.c0m"))
        #expect(!l.contains("yahoo"))
    }

    @Test func customListsParseCommentsAndBlanks() {
        let l = FreeMailDomains(["# header", "", "  Example.NET  # trailing comment", "foo.*", "single"])
        #expect(l.entries == ["example.net", "foo.*"])
        #expect(l.contains("mail.example.net"))
        #expect(l.contains("foo.de"))
    }

    @Test func realisticSize() {
        #expect(list.entries.count >= 150)
    }

    /// The compiled table must be what `scripts/engagement/generate-freemail-domains.sh` makes of the data file.
    @Test func compiledTableMatchesDataFile() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("data/freemail-domains.txt"), encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).compactMap { line -> String? in
            let entry = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
                .filter { !$0.isWhitespace }.lowercased()
            return entry.isEmpty ? nil : entry
        }
        #expect(lines == FreeMailDomains.bundledEntries, "run scripts/engagement/generate-freemail-domains.sh")
        #expect(Set(lines).count == lines.count, "duplicate entries in data/freemail-domains.txt")
    }
}
