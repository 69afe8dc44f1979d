import Foundation
import Testing
@testable import Engagement

@Suite("Dedupe keys and SHA-256")
struct DedupeKeyTests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        (String(repeating: "a", count: 55), "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"),
        (String(repeating: "a", count: 56), "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"),
        (String(repeating: "a", count: 64), "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"),
        ("ä€𝄞", "8119dd09487f1de241b90065fcb5b9f07e04d877b9593da1a9eff9688d9093aa"),
    ])
    func sha256Vectors(_ input: String, _ digest: String) {
        #expect(SHA256.hex(of: input) == digest)
    }

    @Test func sha256MillionAs() {
        var hasher = SHA256()
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
        for _ in 0..<1000 { hasher.update(chunk) }
        let hex = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        #expect(hex == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func messageIDIsTheKeyAsGiven() {
        #expect(ActivityClassifier.messageKey(of: World.email(id: "AbC@Host")) == "AbC@Host")
    }

    @Test func fallbackKeyIsADocumentedHash() {
        let e = World.email(id: nil, from: "Ann@OurCo.com", to: ["Zed@contoso.com", "amy@contoso.com"], cc: ["amy@contoso.com"], bcc: ["secret@x.com"])
        // SHA-256("ann@ourco.com|1700000000|amy@contoso.com,zed@contoso.com")
        #expect(ActivityClassifier.messageKey(of: e) == "h:70041c8c64ff399a7dde96ccd39533020ec9dfaf31be568c7cf92a5bd682ff21")
    }

    @Test func fallbackKeyIsStableAcrossMailboxCopies() {
        let sent = World.email(id: nil, to: ["b@contoso.com", "a@contoso.com"], cc: ["c@contoso.com"], bcc: ["hidden@fabrikam.com"],
                               sentAt: World.t0.addingTimeInterval(0.4))
        let received = World.email(id: nil, from: "ANN@ourco.com", to: ["a@contoso.com", "B@contoso.com"], cc: ["c@contoso.com", "a@contoso.com"])
        #expect(ActivityClassifier.messageKey(of: sent) == ActivityClassifier.messageKey(of: received))
        let other = World.email(id: nil, sentAt: World.t0.addingTimeInterval(1))
        #expect(ActivityClassifier.messageKey(of: other) != ActivityClassifier.messageKey(of: World.email(id: nil)))
    }

    @Test func fallbackUsesSenderWhenFromIsMissing() {
        let viaSender = World.email(id: nil, from: nil, sender: "ann@ourco.com")
        #expect(ActivityClassifier.messageKey(of: viaSender) == ActivityClassifier.messageKey(of: World.email(id: nil)))
        let nobody = World.email(id: nil, from: nil, to: [], sentAt: World.t0)
        #expect(ActivityClassifier.messageKey(of: nobody) == "h:3ad8e9c70c1f9c7a358950078685dce2fed1c6891ee9082751eff76e06bf9b45")
    }

    @Test func noKeyWithoutIDAndDate() {
        #expect(ActivityClassifier.messageKey(of: World.email(id: nil, sentAt: nil)) == nil)
        #expect(ActivityClassifier.messageKey(of: World.email(id: "", sentAt: nil)) == nil)
        #expect(ActivityClassifier.messageKey(of: World.email(id: "x@y", sentAt: nil)) == "x@y")
    }

    @Test func occurrenceKey() {
        #expect(ActivityClassifier.occurrenceKey(of: World.meeting()) == "uid-1|2023-11-14T22:13:20Z")
        let occurrence = World.meeting(recurrenceID: Date(timeIntervalSince1970: 951_782_400.9))
        #expect(ActivityClassifier.occurrenceKey(of: occurrence) == "uid-1|2000-02-29T00:00:00Z")
        #expect(RFC3339UTC.string(from: Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59Z")
        #expect(RFC3339UTC.string(from: Date(timeIntervalSince1970: 4_102_444_800)) == "2100-01-01T00:00:00Z")
    }
}
