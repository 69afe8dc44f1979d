import Testing
@testable import Ingest

@Suite("Line splitter")
struct LineSplitterTests {
    /// Found by FuzzLineSplitter: a line of exactly the limit, its `\r\n` cut between `\r` and `\n`, was refused.
    @Test func lineOfTheLimitWithCRLFCutBetween() throws {
        var splitter = LineSplitter(maximumLineLength: 7)
        splitter.append(Array("exactly\r".utf8))
        #expect(try splitter.nextLine() == nil)
        splitter.append(Array("\nlonger than 7\r\n".utf8))
        let line = try #require(try splitter.nextLine())
        #expect(line.number == 1 && Array(line.bytes) == Array("exactly".utf8))
        #expect(throws: LineSplitter.LineTooLong(line: 2, limit: 7)) { try splitter.nextLine() }
    }

    @Test func unterminatedLastLineKeepsItsCR() throws {
        var splitter = LineSplitter(maximumLineLength: 7)
        splitter.append(Array("exactly\r".utf8))
        #expect(try splitter.nextLine() == nil)
        #expect(throws: LineSplitter.LineTooLong(line: 1, limit: 7)) { try splitter.finish() }
    }
}
