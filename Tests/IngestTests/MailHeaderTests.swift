import Engagement
import Foundation
import Testing
@testable import Ingest

@Suite("RFC 5322 / 2047 headers")
struct MailHeaderTests {
    func email(_ text: String) -> ActivityEmail {
        MailMessageParser.parse(Array(text.utf8))
    }

    func addresses(_ s: String) -> [String] {
        MailAddressParser.parse(Array(s.utf8)).map(\.address)
    }

    @Test func basicMessage() {
        let e = email("""
        From: "Doe, John" <John.Doe@Example.COM>\r
        To: a@x.org, B <b@x.org>\r
        Cc: (comment) c@x.org (C Person)\r
        Date: Fri, 4 May 2001 14:05:44 -0400\r
        Message-ID: <abc@host>\r
        In-Reply-To: <p1@h>\r
        References: <p0@h>\r
         <p1@h>\r
        \r
        Body: not a header\r
        From: nobody@evil.example\r
        """)
        #expect(e.from == "john.doe@example.com")
        #expect(e.to == ["a@x.org", "b@x.org"])
        #expect(e.cc == ["c@x.org"])
        #expect(e.sentAt == Date(timeIntervalSince1970: 988_999_544))
        #expect(e.messageID == "abc@host")
        #expect(e.inReplyTo == ["p1@h"])
        #expect(e.references == ["p0@h", "p1@h"])
        #expect(e.bulk == false)
    }

    @Test func foldedAddressListAndGroups() {
        #expect(addresses("undisclosed-recipients:;") == [])
        #expect(addresses("team: a@x.org,\r\n b@y.org;, c@z.org") == ["a@x.org", "b@y.org", "c@z.org"])
        #expect(addresses("A Group:Ed Jones <c@a.test>,joe@where.test,John <jdoe@one.test>;")
            == ["c@a.test", "joe@where.test", "jdoe@one.test"])
    }

    @Test func malformedEntriesAreSkipped() {
        #expect(addresses("good@x.org, not an address, <broken@, also@ok.org, @nolocal.org, nodomain@")
            == ["good@x.org", "also@ok.org"])
        #expect(addresses("a@b@c, d@e.org") == ["d@e.org"])
    }

    @Test func quotedAndCommentsAndRoutes() {
        #expect(addresses(#""Smith, J. (work)" <j@x.org>"#) == ["j@x.org"])
        #expect(addresses("<@route1,@route2:user@host.org>") == ["user@host.org"])
        #expect(addresses("Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>") == ["pete@silly.test"])
        #expect(addresses(#""john doe"@example.org"#) == [#""john doe"@example.org"#])
        #expect(addresses("user@[192.168.0.1]") == ["user@[192.168.0.1]"])
        #expect(addresses("john . doe @ example . org") == ["john.doe@example.org"])
    }

    @Test func utf8AddressesRFC6532() {
        #expect(addresses("Jörg <jörg@bücher.de>") == ["jörg@bücher.de"])
    }

    @Test func encodedWordDisplayNames() {
        let list = MailAddressParser.parse(Array("=?UTF-8?B?SsO2cmc=?= <j@x.de>, =?ISO-8859-1?Q?Andr=E9?= Pirard <p@y.be>, =?windows-1250?Q?=8Aime?= <s@z.cz>".utf8))
        #expect(list.map(\.displayName) == ["Jörg", "André Pirard", "Šime"])
        #expect(EncodedWords.decode(Array("=?ISO-8859-2?Q?=A9koda?= =?iso-8859-15?q?=A4?=".utf8)) == "Škoda€")
        #expect(EncodedWords.decode(Array("=?utf-8?q?a?=  =?utf-8?q?b?= c".utf8)) == "ab c")
        #expect(EncodedWords.decode(Array("=?bogus-charset?q?x?=".utf8)) == "=?bogus-charset?q?x?=")
        #expect(EncodedWords.decode(Array("=?windows-1252?Q?=93hi=94?=".utf8)) == "\u{201C}hi\u{201D}")
    }

    @Test(arguments: [
        ("Fri, 4 May 2001 14:05:44 -0400", 988_999_544),
        ("4 May 2001 14:05:44 -0400", 988_999_544),
        ("Fri,  4 May 2001 18:05:44 GMT", 988_999_544),
        ("Fri, 4 May 2001 14:05:44 EDT", 988_999_544),
        ("Fri, 4 May 2001 11:05:44 PDT", 988_999_544),
        ("Fri, 4 May 01 18:05:44 +0000", 988_999_544),
        ("Fri, 4 May 101 18:05:44 UT", 988_999_544),
        ("Fri, 4 May 2001 18:05 +0000", 988_999_500),
        ("Fri (Friday), 4 (day) May 2001 18 : 05 : 44 (time) +0000 (UTC)", 988_999_544),
        ("Fri, 4 May 2001 18:05:44 A", 988_999_544),
        ("Fri, 4 May 2001 18:05:44 -0000", 988_999_544),
        ("Fri May  4 18:05:44 2001", 988_999_544),
        ("Thu, 1 Jan 1970 00:00:00 +0100", -3600),
    ])
    func dates(text: String, seconds: Int) {
        #expect(MailDateParser.parse(Array(text.utf8)) == Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    @Test func badDates() {
        for s in ["", "yesterday", "31 Feb 2001 10:00:00 +0000", "Fri, 4 May 2001 25:00:00 +0000", "Fri, 4 Foo 2001"] {
            #expect(MailDateParser.parse(Array(s.utf8)) == nil, "\(s)")
        }
    }

    @Test func bulkAndAutoSubmitted() {
        #expect(email("From: a@b.c\nList-Id: <x.lists.example>\n\n").bulk)
        #expect(email("From: a@b.c\nList-Unsubscribe: <mailto:u@x>\n\n").bulk)
        #expect(email("From: a@b.c\nPrecedence: Bulk\n\n").bulk)
        #expect(email("From: a@b.c\nPrecedence: junk (spam)\n\n").bulk)
        #expect(!email("From: a@b.c\nPrecedence: first-class\n\n").bulk)
        let auto = email("From: a@b.c\nAuto-Submitted: auto-replied; owner-email=\"x@y\"\n\n")
        #expect(auto.bulk && auto.autoSubmitted)
        let no = email("From: a@b.c\nAuto-Submitted: no (human)\n\n")
        #expect(!no.bulk && !no.autoSubmitted)
    }

    @Test func messageIDs() {
        #expect(MessageIDParser.parse(Array("<a@b> (comment <c@d>) <e\r\n @f>".utf8)) == ["a@b", "e@f"])
        #expect(MessageIDParser.parse(Array("a@b, c@d".utf8)) == ["a@b", "c@d"])
        #expect(MessageIDParser.parse(Array("<>".utf8)) == [])
    }

    @Test func headersEndAtNonHeaderLine() {
        let e = email("From: a@b.c\nthis is not a header\nTo: x@y.z\n\n")
        #expect(e.from == "a@b.c")
        #expect(e.to.isEmpty)
    }

    @Test func unixFromLineAndRepeatedFields() {
        let e = email("From someone@x Fri May  4 14:05:44 2001\nFrom: a@b.c\nFrom: second@b.c\nTo: x@y.z\nTo: w@y.z\n\n")
        #expect(e.from == "a@b.c")
        #expect(e.to == ["x@y.z", "w@y.z"])
    }
}

@Suite("Hostile headers stay linear")
struct HostileHeaderTests {
    @Test(.timeLimit(.minutes(1))) func manyRepeatedFieldsAndEncodedWordMarkers() {
        var text = "From: a@b.c\n"
        for k in 0..<20_000 { text += "To: u\(k)@x.org\n" }
        text += "Cc: " + String(repeating: "=?", count: 200_000) + "\n\n"
        let e = MailMessageParser.parse(Array(text.utf8))
        #expect(e.to.count == 20_000)
        let names = MailAddressParser.parse(Array(("=?utf-8?q?" + String(repeating: "=?", count: 100_000) + " <a@b.c>").utf8))
        #expect(names.map(\.address) == ["a@b.c"])
    }
}
