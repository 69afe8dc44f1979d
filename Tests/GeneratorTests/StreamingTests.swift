import Engagement
import Foundation
import Generator
import Testing

/// The streaming API: exact volumes at any size, as a Sequence and as an AsyncSequence.
@Suite("Streaming")
struct StreamingTests {
    @Test("volumes are exact: emails and occurrences as asked")
    func exactVolumes() {
        let spec = OrganizationSpec(
            seed: 9, accounts: 3_000, mailboxes: 150, contacts: 7_500, emails: 60_000, meetings: 6_000, asOf: GeneratedFixture.asOf)
        let organization = SyntheticOrganization(spec)
        #expect(organization.contacts.count == 7_500)
        var emails = 0
        var meetings = 0
        for record in ActivityGenerator(organization).records {
            switch record {
            case .email: emails += 1
            case .meeting: meetings += 1
            }
        }
        #expect(emails == 60_000)
        #expect(meetings == 6_000)
    }

    static func firstRecord(_ generator: ActivityGenerator) -> ActivityRecord? {
        for record in generator.records { return record }
        return nil
    }

    @Test("the async sequence yields the same records")
    func asyncSequence() async {
        let generator = ActivityGenerator(GeneratedFixture.shared.organization)
        var count = 0
        var firstEmail: ActivityRecord?
        for await record in generator.records {
            if count == 0 { firstEmail = record }
            count += 1
        }
        #expect(count == GeneratedFixture.shared.figures.emails + GeneratedFixture.shared.figures.meetingOccurrences)
        #expect(firstEmail == Self.firstRecord(generator))
    }
}
