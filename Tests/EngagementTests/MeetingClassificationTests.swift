import Engagement
import Foundation
import Testing

@Suite("Meeting classification")
struct MeetingClassificationTests {
    let classifier = World.classifier()

    func person(_ address: String, _ partstat: String? = nil) -> ActivityAttendee {
        ActivityAttendee(address: address, partstat: partstat, role: "REQ-PARTICIPANT", cutype: "INDIVIDUAL")
    }

    @Test func toAccount() throws {
        let m = World.meeting(attendees: [person("ann@ourco.com"), person("Lee@Contoso.com", "ACCEPTED"), person("bob@ourco.com")])
        let signal = try #require(classifier.classify(m).signals.first)
        #expect(signal == MeetingSignal(
            occurrenceKey: "uid-1|2023-11-14T22:13:20Z", start: World.t0, end: World.t0.addingTimeInterval(1800),
            direction: .toAccount, accountID: "contoso",
            internalParticipants: ["ann@ourco.com", "bob@ourco.com"], accountParticipants: ["lee@contoso.com"]
        ))
    }

    @Test func fromAccount() {
        let m = World.meeting(organizer: "lee@contoso.com", attendees: [person("max@contoso.com"), person("ann@ourco.com", "TENTATIVE"), person("x@fabrikam.com")])
        let signals = classifier.classify(m).signals
        #expect(signals.count == 1)
        #expect(signals.first?.direction == .fromAccount)
        #expect(signals.first?.accountID == "contoso")
        #expect(signals.first?.internalParticipants == ["ann@ourco.com"])
        #expect(signals.first?.accountParticipants == ["lee@contoso.com", "max@contoso.com"])
    }

    @Test func twoAccountsTwoSignals() {
        let m = World.meeting(attendees: [person("x@fabrikam.com"), person("lee@contoso.com")])
        #expect(classifier.classify(m).signals.map(\.accountID) == ["contoso", "fabrikam"])
    }

    @Test func roomsAndResourcesAreNotPeople() {
        let room = ActivityAttendee(address: "room-4@contoso.com", role: "NON-PARTICIPANT", cutype: "ROOM")
        let beamer = ActivityAttendee(address: "beamer@contoso.com", role: "NON-PARTICIPANT", cutype: "resource")
        #expect(classifier.classify(World.meeting(attendees: [room, beamer])).rule == .internalOnly)
        let withPerson = World.meeting(attendees: [room, person("lee@contoso.com"), beamer])
        #expect(classifier.classify(withPerson).signals.first?.accountParticipants == ["lee@contoso.com"])
        // Rooms do not count towards the size limit either.
        let small = World.classifier { $0.maximumAttendees = 2 }
        #expect(small.classify(withPerson).signals.count == 1)
    }

    @Test func cancelled() {
        #expect(classifier.classify(World.meeting(cancelled: true)).rule == .cancelledMeeting)
        let c = World.classifier { $0.cancelledMeetings = false }
        #expect(c.classify(World.meeting(cancelled: true)).signals.count == 1)
    }

    @Test func large() {
        let crowd = (1...50).map { person("p\($0)@contoso.com") }
        // 50 attendees + the organizer = 51 people > 50.
        #expect(classifier.classify(World.meeting(attendees: crowd)).rule == .largeMeeting)
        #expect(classifier.classify(World.meeting(attendees: Array(crowd.dropLast()))).signals.count == 1)
        // The organizer listed among the attendees counts once.
        #expect(classifier.classify(World.meeting(attendees: Array(crowd.dropLast()) + [person("ann@ourco.com")])).signals.count == 1)
        let off = World.classifier { $0.largeMeetings = false }
        #expect(off.classify(World.meeting(attendees: crowd)).signals.count == 1)
    }

    @Test func declined() {
        let m = World.meeting(attendees: [person("lee@contoso.com", "DECLINED"), person("max@contoso.com", "declined")])
        #expect(classifier.classify(m).rule == .declinedMeeting)
        let oneAccepts = World.meeting(attendees: [person("lee@contoso.com", "DECLINED"), person("max@contoso.com", "NEEDS-ACTION")])
        #expect(classifier.classify(oneAccepts).signals.first?.accountParticipants == ["lee@contoso.com", "max@contoso.com"])
        // Per account: fabrikam declined, contoso did not.
        let mixed = World.meeting(attendees: [person("x@fabrikam.com", "DECLINED"), person("lee@contoso.com")])
        #expect(classifier.classify(mixed).signals.map(\.accountID) == ["contoso"])
        let off = World.classifier { $0.declinedMeetings = false }
        #expect(off.classify(m).signals.count == 1)
    }

    @Test func declinedDoesNotApplyWhenTheAccountOrganizes() {
        let m = World.meeting(organizer: "lee@contoso.com", attendees: [person("ann@ourco.com", "DECLINED"), person("max@contoso.com", "DECLINED")])
        #expect(classifier.classify(m).signals.map(\.direction) == [.fromAccount])
    }

    @Test func requiredRoles() {
        // A colleague outside the selection organizes: the selected attendee is not in the organizer role.
        let colleague = World.meeting(organizer: "zoe@ourco.com", attendees: [person("ann@ourco.com"), person("lee@contoso.com")])
        #expect(classifier.classify(colleague).rule == .noSelectedParticipant)
        let accountWithoutUs = World.meeting(organizer: "lee@contoso.com", attendees: [person("zoe@ourco.com")])
        #expect(classifier.classify(accountWithoutUs).rule == .noSelectedParticipant)
        let stranger = World.meeting(organizer: "x@unknown.org", attendees: [person("ann@ourco.com")])
        #expect(classifier.classify(stranger).rule == .noAccount)
        let noAccount = World.meeting(attendees: [person("x@unknown.org"), person("friend@gmail.com")])
        #expect(classifier.classify(noAccount).rule == .noAccount)
        let noOrganizer = World.meeting(organizer: nil, attendees: [person("lee@contoso.com")])
        #expect(classifier.classify(noOrganizer).rule == .noSelectedParticipant)
    }

    @Test func internalOnly() {
        let m = World.meeting(attendees: [person("bob@ourco.com"), person("zoe@uk.ourco.com")])
        #expect(classifier.classify(m).rule == .internalOnly)
    }

    @Test func exclusions() {
        let c = World.classifier {
            $0.excludedAddresses = ["lee@contoso.com"]
            $0.excludedDomains = ["fabrikam.com"]
        }
        #expect(c.classify(World.meeting(organizer: "lee@contoso.com", attendees: [person("ann@ourco.com")])).rule == .excludedAddress)
        #expect(c.classify(World.meeting(organizer: "x@fabrikam.com", attendees: [person("ann@ourco.com")])).rule == .excludedDomain)
        #expect(c.classify(World.meeting(attendees: [person("lee@contoso.com")])).rule == .excludedAddress)
        let partly = World.meeting(attendees: [person("lee@contoso.com"), person("max@contoso.com"), person("x@fabrikam.com")])
        #expect(c.classify(partly).signals.map(\.accountID) == ["contoso"])
        #expect(c.classify(partly).signals.first?.accountParticipants == ["max@contoso.com"])
    }

    @Test func precedence() {
        // cancelled > excluded organizer > large > internal-only > roles > no account > declined
        let c = World.classifier { $0.excludedAddresses = ["ann@ourco.com"]; $0.maximumAttendees = 1 }
        var m = World.meeting(attendees: [person("lee@contoso.com", "DECLINED")], cancelled: true)
        #expect(c.classify(m).rule == .cancelledMeeting)
        m.cancelled = false
        #expect(c.classify(m).rule == .excludedAddress)
        m.organizer = "bob@ourco.com"
        #expect(c.classify(m).rule == .largeMeeting)
        #expect(classifier.classify(m).rule == .declinedMeeting)
    }
}
