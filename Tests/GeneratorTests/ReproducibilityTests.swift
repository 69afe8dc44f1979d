import Foundation
import Generator
import Testing

@Suite("Reproducibility")
struct ReproducibilityTests {
    /// Every file under `folder`, relative path → bytes.
    static func contents(_ folder: URL) throws -> [String: Data] {
        var out: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])!
        let prefix = folder.standardizedFileURL.path.count + 1
        for case let url as URL in enumerator where (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true {
            out[String(url.standardizedFileURL.path.dropFirst(prefix))] = try Data(contentsOf: url)
        }
        return out
    }

    @Test("the same seed gives byte-identical files")
    func sameSeedSameBytes() throws {
        let again = GeneratedFixture.temporaryFolder("again")
        try OrganizationWriter(organization: SyntheticOrganization(GeneratedFixture.spec)).write(to: again)
        let first = try Self.contents(GeneratedFixture.shared.folder)
        let second = try Self.contents(again)
        #expect(first.count > 40)
        #expect(Set(first.keys) == Set(second.keys))
        for (path, bytes) in first {
            #expect(second[path] == bytes, "\(path) differs")
        }
    }

    @Test("another seed gives another organization")
    func otherSeedOtherBytes() throws {
        var spec = GeneratedFixture.spec
        spec.seed = 43
        let other = SyntheticOrganization(spec)
        #expect(other.accounts.map(\.id) != GeneratedFixture.shared.organization.accounts.map(\.id))
    }

    @Test("streamed records equal the written ones, whatever the order chunks are made in")
    func chunksAreIndependent() {
        let generator = ActivityGenerator(GeneratedFixture.shared.organization)
        let last = generator.chunkCount - 1
        let late = generator.chunk(last).emails.map(\.messageID)
        let early = GeneratedFixture.shared.chunks[last].emails.map(\.messageID)
        #expect(late == early)
        let middle = generator.chunk(7).emails.map(\.record)
        #expect(middle == GeneratedFixture.shared.chunks[7].emails.map(\.record))
    }

    @Test("the seeded generator is stable")
    func prngVectors() {
        // xoshiro256** seeded by SplitMix64 from 0 (checked against an independent implementation).
        var rng = SeededRandom(seed: 0)
        #expect((0..<3).map { _ in rng.next() } == [11_091_344_671_253_066_420, 13_793_997_310_169_335_082, 1_900_383_378_846_508_768])
        var bounded = SeededRandom(seed: 7)
        for _ in 0..<1_000 { #expect((0..<13).contains(bounded.below(13))) }
        var a = SeededRandom.stream(seed: 1, 2, 3)
        var b = SeededRandom.stream(seed: 1, 3, 2)
        #expect(a.next() != b.next())
    }
}
