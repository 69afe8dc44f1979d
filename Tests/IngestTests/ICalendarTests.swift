import Engagement
import Foundation
import Testing
@testable import Ingest

@Suite("iCalendar")
struct ICalendarTests {
    static let wide = TimeWindow(from: Date(timeIntervalSince1970: 0), to: Date(timeIntervalSince1970: 4_102_444_800))

    func iso(_ d: Date) -> String {
        RFC3339.string(Int(d.timeIntervalSince1970))
    }

    func starts(_ ics: String, window: TimeWindow = wide) -> [String] {
        ICalendarParser.meetings(Array(ics.utf8), window: window).map { iso($0.start) }.sorted()
    }

    func event(_ lines: String, tz: String = "America/New_York") -> String {
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\n" + lines.replacingOccurrences(of: "=TZ:", with: "=\(tz):") + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    }

    /// Local New York wall times of the occurrences of an RRULE.
    func rule(_ rrule: String, start: String = "19970902T090000", window: TimeWindow = wide) -> [String] {
        let ms = ICalendarParser.meetings(Array(event("DTSTART;TZID=TZ:\(start)\nRRULE:\(rrule)").utf8), window: window)
        let ny = TimeZone(identifier: "America/New_York")!
        return ms.map { m -> String in
            let t = Int(m.start.timeIntervalSince1970) + ny.secondsFromGMT(for: m.start)
            let (y, mo, d) = CivilTime.civil(days: t / 86400)
            let hm = (t % 86400) / 60
            return String(format: "%04d%02d%02dT%02d%02d", y, mo, d, hm / 60, hm % 60)
        }.sorted()
    }

    @Test func unfoldingAndParameters() throws {
        let root = ICalComponent.parse(Array("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nATTENDEE;CN=\"Doe, J\";DELEGATED-FROM=\"mailto:a@x\",\"mailto:b@x\";\r\n PARTSTAT=ACCEPTED:mailto:j@\r\n\texample.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n".utf8))
        let ev = try #require(root.children.first?.children.first)
        let a = try #require(ev.property("ATTENDEE"))
        #expect(a.parameter("CN") == "Doe, J")
        #expect(a.parameters["DELEGATED-FROM"] == ["mailto:a@x", "mailto:b@x"])
        #expect(a.parameter("PARTSTAT") == "ACCEPTED")
        #expect(a.value == "mailto:j@example.com")
    }

    @Test func organizerAttendeesAndStatus() throws {
        let ms = ICalendarParser.meetings(Array(event("""
        DTSTART:20240105T100000Z\r
        DTEND:20240105T110000Z\r
        ORGANIZER;CN=Boss:MAILTO:Boss@Example.com\r
        ATTENDEE;CUTYPE=ROOM;ROLE=NON-PARTICIPANT;PARTSTAT=accepted:mailto:room@example.com\r
        ATTENDEE:mailto:Guest@Other.org\r
        ATTENDEE:urn:uuid:not-an-address\r
        STATUS:CANCELLED
        """).utf8), window: Self.wide)
        let m = try #require(ms.first)
        #expect(ms.count == 1)
        #expect(m.organizer == "boss@example.com")
        #expect(m.attendees == [
            ActivityAttendee(address: "room@example.com", partstat: "ACCEPTED", role: "NON-PARTICIPANT", cutype: "ROOM"),
            ActivityAttendee(address: "guest@other.org", partstat: "NEEDS-ACTION", role: "REQ-PARTICIPANT", cutype: "INDIVIDUAL"),
        ])
        #expect(m.cancelled)
        #expect(m.recurrenceID == nil)
        #expect(iso(m.start) == "2024-01-05T10:00:00Z" && iso(m.end) == "2024-01-05T11:00:00Z")
    }

    @Test func allDayAndDuration() throws {
        let m = try #require(ICalendarParser.meetings(Array(event("DTSTART;VALUE=DATE:20240301\nDTEND;VALUE=DATE:20240303").utf8), window: Self.wide).first)
        #expect(m.allDay && iso(m.start) == "2024-03-01T00:00:00Z" && iso(m.end) == "2024-03-03T00:00:00Z")
        let d = try #require(ICalendarParser.meetings(Array(event("DTSTART;TZID=TZ:20240301T090000\nDURATION:PT1H30M").utf8), window: Self.wide).first)
        #expect(iso(d.start) == "2024-03-01T14:00:00Z" && iso(d.end) == "2024-03-01T15:30:00Z")
        let f = try #require(ICalendarParser.meetings(Array(event("DTSTART:20240301T090000").utf8), window: Self.wide).first)
        #expect(iso(f.start) == "2024-03-01T09:00:00Z" && iso(f.end) == "2024-03-01T09:00:00Z")
    }

    @Test func windowsZoneAndVTimezone() {
        #expect(starts(event("DTSTART;TZID=W. Europe Standard Time:20240701T090000")) == ["2024-07-01T07:00:00Z"])
        #expect(starts(event("DTSTART;TZID=/mozilla.org/20050126_1/Europe/Berlin:20240101T090000")) == ["2024-01-01T08:00:00Z"])
        let custom = """
        BEGIN:VCALENDAR\r
        BEGIN:VTIMEZONE\r
        TZID:My Zone\r
        BEGIN:STANDARD\r
        DTSTART:16010101T030000\r
        TZOFFSETFROM:+0200\r
        TZOFFSETTO:+0100\r
        RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r
        END:STANDARD\r
        BEGIN:DAYLIGHT\r
        DTSTART:16010101T020000\r
        TZOFFSETFROM:+0100\r
        TZOFFSETTO:+0200\r
        RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r
        END:DAYLIGHT\r
        END:VTIMEZONE\r
        BEGIN:VEVENT\r
        UID:a\r
        DTSTART;TZID=My Zone:20240325T090000\r
        RRULE:FREQ=DAILY;COUNT=2\r
        END:VEVENT\r
        BEGIN:VEVENT\r
        UID:b\r
        DTSTART;TZID=My Zone:20240330T090000\r
        RRULE:FREQ=DAILY;COUNT=2\r
        END:VEVENT\r
        END:VCALENDAR\r
        """
        #expect(starts(custom) == ["2024-03-25T08:00:00Z", "2024-03-26T08:00:00Z", "2024-03-30T08:00:00Z", "2024-03-31T07:00:00Z"])
    }

    // RFC 5545 section 3.8.5.3 examples.
    @Test func rfcDailyCount() {
        #expect(rule("FREQ=DAILY;COUNT=10").count == 10)
        #expect(rule("FREQ=DAILY;COUNT=3").last == "19970904T0900")
    }

    @Test func rfcDailyUntil() {
        let r = rule("FREQ=DAILY;UNTIL=19971224T000000Z")
        #expect(r.count == 113 && r.last == "19971223T0900")
    }

    @Test func rfcEveryOtherDayAndIntervals() {
        #expect(rule("FREQ=DAILY;INTERVAL=10;COUNT=5") == ["19970902T0900", "19970912T0900", "19970922T0900", "19971002T0900", "19971012T0900"])
    }

    @Test func rfcYearlyByMonthByDay() {
        let r = rule("FREQ=YEARLY;UNTIL=20000131T140000Z;BYMONTH=1;BYDAY=SU,MO,TU,WE,TH,FR,SA", start: "19980101T090000")
        #expect(r.count == 93 && r.first == "19980101T0900" && r.last == "20000131T0900")
    }

    @Test func rfcWeekly() {
        #expect(rule("FREQ=WEEKLY;UNTIL=19971007T000000Z;WKST=SU;BYDAY=TU,TH") == [
            "19970902T0900", "19970904T0900", "19970909T0900", "19970911T0900", "19970916T0900", "19970918T0900",
            "19970923T0900", "19970925T0900", "19970930T0900", "19971002T0900",
        ])
        #expect(rule("FREQ=WEEKLY;INTERVAL=2;COUNT=8;WKST=SU;BYDAY=TU,TH") == [
            "19970902T0900", "19970904T0900", "19970916T0900", "19970918T0900",
            "19970930T0900", "19971002T0900", "19971014T0900", "19971016T0900",
        ])
    }

    @Test func rfcWkstMatters() {
        #expect(rule("FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO", start: "19970805T090000")
            == ["19970805T0900", "19970810T0900", "19970819T0900", "19970824T0900"])
        #expect(rule("FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU", start: "19970805T090000")
            == ["19970805T0900", "19970817T0900", "19970819T0900", "19970831T0900"])
    }

    @Test func rfcMonthlyOrdinals() {
        #expect(rule("FREQ=MONTHLY;COUNT=10;BYDAY=1FR", start: "19970905T090000").prefix(3) == ["19970905T0900", "19971003T0900", "19971107T0900"])
        #expect(rule("FREQ=MONTHLY;COUNT=6;BYDAY=-2MO", start: "19970922T090000") == [
            "19970922T0900", "19971020T0900", "19971117T0900", "19971222T0900", "19980119T0900", "19980216T0900",
        ])
        #expect(rule("FREQ=MONTHLY;BYMONTHDAY=-3;COUNT=3", start: "19970928T090000") == ["19970928T0900", "19971029T0900", "19971128T0900"])
        // DTSTART is always an occurrence (RFC 5545 3.8.5.3); the RFC's own example removes it with EXDATE.
        #expect(rule("FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13;COUNT=3", start: "19970902T090000") == ["19970902T0900", "19980213T0900", "19980313T0900", "19981113T0900"])
        #expect(rule("FREQ=MONTHLY;BYDAY=TU,WE,TH;BYSETPOS=3;COUNT=3", start: "19970904T090000") == ["19970904T0900", "19971007T0900", "19971106T0900"])
        #expect(rule("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2;COUNT=3", start: "19970929T090000") == ["19970929T0900", "19971030T0900", "19971127T0900"])
        #expect(rule("FREQ=MONTHLY;BYMONTHDAY=15,30;COUNT=5", start: "20070115T090000") == ["20070115T0900", "20070130T0900", "20070215T0900", "20070315T0900", "20070330T0900"])
    }

    @Test func rfcYearly() {
        #expect(rule("FREQ=YEARLY;INTERVAL=3;COUNT=4;BYYEARDAY=1,100,200", start: "19970101T090000") == [
            "19970101T0900", "19970410T0900", "19970719T0900", "20000101T0900",
        ])
        #expect(rule("FREQ=YEARLY;BYDAY=20MO;COUNT=3", start: "19970519T090000") == ["19970519T0900", "19980518T0900", "19990517T0900"])
        #expect(rule("FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO;COUNT=3", start: "19970512T090000") == ["19970512T0900", "19980511T0900", "19990517T0900"])
        #expect(rule("FREQ=YEARLY;BYMONTH=3;BYDAY=TH;COUNT=3", start: "19970313T090000") == ["19970313T0900", "19970320T0900", "19970327T0900"])
        #expect(rule("FREQ=YEARLY;BYDAY=SU;BYMONTH=2;BYMONTHDAY=29;COUNT=2", start: "19970101T090000").isEmpty == false)
        #expect(rule("FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8;COUNT=3", start: "19961105T090000") == [
            "19961105T0900", "20001107T0900", "20041102T0900",
        ])
        #expect(rule("FREQ=YEARLY;BYMONTH=1,2;COUNT=4", start: "20240131T090000") == ["20240131T0900", "20250131T0900", "20260131T0900", "20270131T0900"])
    }

    @Test func hourlyAndMinutely() {
        #expect(rule("FREQ=HOURLY;INTERVAL=3;UNTIL=19970902T210000Z") == ["19970902T0900", "19970902T1200", "19970902T1500"])
        #expect(rule("FREQ=MINUTELY;INTERVAL=15;COUNT=3") == ["19970902T0900", "19970902T0915", "19970902T0930"])
        #expect(rule("FREQ=DAILY;BYHOUR=9,10,11;BYMINUTE=0,20,40;COUNT=4") == ["19970902T0900", "19970902T0920", "19970902T0940", "19970902T1000"])
    }

    @Test func exdateRdateAndOverrides() {
        let ics = """
        BEGIN:VCALENDAR\r
        BEGIN:VEVENT\r
        UID:s\r
        DTSTART;TZID=Europe/Paris:20240102T100000\r
        DTEND;TZID=Europe/Paris:20240102T110000\r
        RRULE:FREQ=DAILY;COUNT=5\r
        EXDATE;TZID=Europe/Paris:20240103T100000\r
        RDATE;TZID=Europe/Paris:20240110T150000\r
        END:VEVENT\r
        BEGIN:VEVENT\r
        UID:s\r
        RECURRENCE-ID;TZID=Europe/Paris:20240104T100000\r
        DTSTART;TZID=Europe/Paris:20240104T140000\r
        DTEND;TZID=Europe/Paris:20240104T150000\r
        END:VEVENT\r
        BEGIN:VEVENT\r
        UID:s\r
        RECURRENCE-ID:20240105T090000Z\r
        DTSTART;TZID=Europe/Paris:20240105T100000\r
        STATUS:CANCELLED\r
        END:VEVENT\r
        END:VCALENDAR\r
        """
        let ms = ICalendarParser.meetings(Array(ics.utf8), window: Self.wide).sorted { $0.start < $1.start }
        #expect(ms.map { iso($0.start) } == [
            "2024-01-02T09:00:00Z", "2024-01-04T13:00:00Z", "2024-01-05T09:00:00Z", "2024-01-06T09:00:00Z", "2024-01-10T14:00:00Z",
        ])
        #expect(ms.map(\.cancelled) == [false, false, true, false, false])
        #expect(ms.map { $0.recurrenceID.map(iso) } == [
            "2024-01-02T09:00:00Z", "2024-01-04T09:00:00Z", "2024-01-05T09:00:00Z", "2024-01-06T09:00:00Z", "2024-01-10T14:00:00Z",
        ])
    }

    @Test func windowClipsInfiniteRules() {
        let w = TimeWindow(from: Date(timeIntervalSince1970: 1_704_067_200), to: Date(timeIntervalSince1970: 1_704_067_200 + 7 * 86400))
        #expect(starts(event("DTSTART:20000101T120000Z\nRRULE:FREQ=DAILY"), window: w).count == 7)
        #expect(starts(event("DTSTART:20000101T120000Z\nRRULE:FREQ=SECONDLY;INTERVAL=3600"), window: w).count == 7 * 24)
    }

    @Test func methodCancelAndBrokenInput() {
        let cancel = "BEGIN:VCALENDAR\r\nMETHOD:CANCEL\r\nBEGIN:VEVENT\r\nUID:z\r\nDTSTART:20240101T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        #expect(ICalendarParser.meetings(Array(cancel.utf8), window: Self.wide).first?.cancelled == true)
        #expect(starts("BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:garbage\nEND:VEVENT\nBEGIN:VEVENT\nDTSTART:20240101\nRRULE:FREQ=NEVER\nEND:VCALENDAR") == ["2024-01-01T00:00:00Z"])
    }

    @Test func lenientShapesRealSoftwareWrites() {
        // X-WR-TIMEZONE gives floating times a zone; a stray END closes the open component;
        // COUNT=-1 is ignored; a re-sent series with a higher SEQUENCE replaces the first.
        let ics = """
        BEGIN:VCALENDAR\r
        X-WR-TIMEZONE:Europe/Brussels\r
        BEGIN:VTODO\r
        UID:t\r
        END:VTOOD\r
        BEGIN:VEVENT\r
        UID:f\r
        DTSTART:20210916T210000\r
        END:VEVENT\r
        BEGIN:VEVENT\r
        UID:s\r
        SEQUENCE:2\r
        DTSTART;VALUE=DATE:20240701\r
        RRULE:FREQ=WEEKLY;COUNT=-1;UNTIL=20240716\r
        END:VEVENT\r
        BEGIN:VEVENT\r
        UID:s\r
        SEQUENCE:1\r
        DTSTART;VALUE=DATE:20240702\r
        END:VEVENT\r
        BEGIN:VEVENT\r
        UID:swapped\r
        DTSTART:20240101T120000Z\r
        DTEND:20240101T110000Z\r
        END:VEVENT\r
        END:VCALENDAR\r
        """
        let ms = ICalendarParser.meetings(Array(ics.utf8), window: Self.wide)
        #expect(ms.filter { $0.uid == "f" }.map { iso($0.start) } == ["2021-09-16T19:00:00Z"])
        #expect(ms.filter { $0.uid == "s" }.map { iso($0.start) } == ["2024-07-01T00:00:00Z", "2024-07-08T00:00:00Z", "2024-07-15T00:00:00Z"])
        #expect(ms.filter { $0.uid == "swapped" }.map { iso($0.start) + "/" + iso($0.end) } == ["2024-01-01T11:00:00Z/2024-01-01T12:00:00Z"])
    }

    @Test func rdatePeriodsAndDates() {
        let ms = ICalendarParser.meetings(Array(event("DTSTART;TZID=TZ:20240105T090000\nDURATION:PT1H\nRDATE;VALUE=PERIOD:20240110T150000Z/20240110T170000Z,20240112T150000Z/PT30M\nRDATE;VALUE=DATE:20240120").utf8), window: Self.wide)
            .map { iso($0.start) + "/" + iso($0.end) }.sorted()
        #expect(ms == [
            "2024-01-05T14:00:00Z/2024-01-05T15:00:00Z", "2024-01-10T15:00:00Z/2024-01-10T17:00:00Z",
            "2024-01-12T15:00:00Z/2024-01-12T15:30:00Z", "2024-01-20T05:00:00Z/2024-01-20T06:00:00Z",
        ])
    }
}

@Suite("Hostile calendars stay cheap")
struct HostileCalendarTests {
    @Test(.timeLimit(.minutes(1))) func deepNestingAndStrayEnds() {
        var text = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:ok\r\nDTSTART:20240101T100000Z\r\nEND:VEVENT\r\n"
        text += String(repeating: "BEGIN:X\r\n", count: 100_000) + String(repeating: "END:Y\r\n", count: 100_000)
        text += "END:VCALENDAR\r\n"
        let w = TimeWindow(from: Date(timeIntervalSince1970: 0), to: Date(timeIntervalSince1970: 2_000_000_000))
        #expect(ICalendarParser.meetings(Array(text.utf8), window: w).map(\.uid) == ["ok"])
    }
}
