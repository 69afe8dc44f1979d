import Engagement
import Foundation
import Testing
@testable import Ingest

@Suite("mbox")
struct MboxReaderTests {
    func froms(_ text: String, chunk: Int = 4 << 20, single: Bool = false) throws -> [String?] {
        var out: [String?] = []
        try MboxReader(chunkSize: chunk, maxHeaderBytes: 256).forEachMessage(in: Array(text.utf8), singleMessage: single) {
            out.append(MailMessageParser.parse($0).from)
        }
        return out
    }

    static let mboxo = """
    From a@x Fri May  4 14:05:44 2001
    From: a@x.org
    Subject: one

    Hello
    From the desk of nobody: not a separator
    >From quoted@x Fri May  4 14:05:44 2001

    From b@x Fri May  4 14:06:44 2001
    From: b@x.org

    From c@x Sat May  5 10:00:00 2001
    From: c@x.org
    To: d@x.org

    body
    From d@x Sat May  5 10:00:00 2001
    From: d@x.org
    """

    @Test func mboxoAndMboxrd() throws {
        #expect(try froms(Self.mboxo) == ["a@x.org", "b@x.org", "c@x.org", "d@x.org"])
    }

    @Test func crlf() throws {
        let text = Self.mboxo.replacingOccurrences(of: "\n", with: "\r\n")
        #expect(try froms(text) == ["a@x.org", "b@x.org", "c@x.org", "d@x.org"])
    }

    @Test func tinyChunksGiveTheSameResult() throws {
        for chunk in [64, 65, 70, 99, 128] {
            #expect(try froms(Self.mboxo, chunk: chunk) == ["a@x.org", "b@x.org", "c@x.org", "d@x.org"], "chunk \(chunk)")
        }
    }

    @Test func emlWithoutEnvelope() throws {
        #expect(try froms("From: e@x.org\nTo: f@x.org\n\nFrom x Fri May  4 14:05:44 2001\nFrom: g@x.org\n\n", single: true) == ["e@x.org"])
    }

    @Test func oversizedHeaderIsCut() throws {
        let long = "X-Long: " + String(repeating: "y", count: 5000) + "\n"
        let text = "From a@x Fri May  4 14:05:44 2001\nFrom: a@x.org\n" + long + "\nbody\nFrom b@x Fri May  4 14:05:44 2001\nFrom: b@x.org\n\n"
        #expect(try froms(text, chunk: 64) == ["a@x.org", "b@x.org"])
    }

    @Test func emptyInput() throws {
        #expect(try froms("") == [])
        #expect(try froms("\n\n") == [])
    }

    @Test func bodiesFullOfCapitalFs() throws {
        let body = String(repeating: "FFF Foo From\nFrom: not a separator\n", count: 200)
        let text = "From a@x Fri May  4 14:05:44 2001\nFrom: a@x.org\n\n" + body + "From b@x Fri May  4 14:05:44 2001\nFrom: b@x.org\n\n" + body
        for chunk in [64, 100, 4096] {
            #expect(try froms(text, chunk: chunk) == ["a@x.org", "b@x.org"], "chunk \(chunk)")
        }
    }
}
