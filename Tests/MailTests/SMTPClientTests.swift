import Foundation
import Mail
import Testing
import TestSupport

/// `SMTPClient` against a real SMTP server (`SMTPSink`) on 127.0.0.1.
@Suite struct SMTPClientTests {
    static let from = "rapport@rapport.example"
    static let to = "admin@tenant.example"

    static func client(_ port: Int, username: String? = nil, password: String? = nil, timeout: Duration = .seconds(5)) -> SMTPClient {
        SMTPClient(configuration: SMTPConfiguration(
            host: "127.0.0.1", port: port, from: from, username: username, password: password, timeout: timeout))
    }

    static func message(subject: String = "Consent needed", body: String = "Hello.\n") -> MailMessage {
        MailMessage(to: to, subject: subject, body: body)
    }

    /// Runs `body` with a new sink, stopping it afterwards whatever happens.
    static func withSink(_ options: SMTPSink.Options = .init(), _ body: (SMTPSink) async throws -> Void) async throws {
        let sink = try await SMTPSink.start(options: options)
        do {
            try await body(sink)
        } catch {
            await sink.stop()
            throw error
        }
        await sink.stop()
    }

    /// Every LF of the raw data has its CR.
    static func hasOnlyCRLF(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return bytes.indices.allSatisfy { bytes[$0] != 0x0A || ($0 > 0 && bytes[$0 - 1] == 0x0D) }
    }

    @Test func utf8SubjectAndBodyGoAs8BitWhenOffered() async throws {
        try await Self.withSink { sink in
            let subject = "Zustimmung erforderlich – Rapport für Müller & Söhne ✓"
            let body = "Grüße aus Zürich,\n.a line that starts with a dot\n..two dots\n.\nend ✓"
            try await Self.client(sink.port).send(MailMessage(to: Self.to, subject: subject, body: body, messageID: "outbox-42@rapport.example"))

            let mail = try #require(sink.messages().first)
            #expect(sink.messages().count == 1)
            #expect(mail.from == Self.from)
            #expect(mail.recipients == [Self.to])
            #expect(mail.mailParameters == ["BODY=8BITMIME"])
            #expect(mail.subject == subject)
            #expect(mail.header("Subject")?.hasPrefix("=?UTF-8?B?") == true)
            #expect(mail.body == body + "\n")
            #expect(mail.header("From") == Self.from)
            #expect(mail.header("To") == Self.to)
            #expect(mail.header("Message-ID") == "<outbox-42@rapport.example>")
            #expect(mail.header("MIME-Version") == "1.0")
            #expect(mail.header("Content-Type") == "text/plain; charset=utf-8")
            #expect(mail.header("Content-Transfer-Encoding") == "8bit")
            let date = try #require(mail.header("Date"))
            #expect(date.wholeMatch(of: /(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d \+0000/) != nil)
            #expect(Self.hasOnlyCRLF(mail.data))
            #expect(sink.commands().map { String($0.prefix(4)) } == ["EHLO", "MAIL", "RCPT", "DATA", "QUIT"])
            #expect(sink.commands().first == "EHLO rapport.localhost")
        }
    }

    @Test func quotedPrintableWhen8BitMIMEIsNotOffered() async throws {
        try await Self.withSink(.init(advertise8BitMIME: false)) { sink in
            let long = String(repeating: "Ünïcödé and = signs, ", count: 20)
            let body = "Grüße\r\n.dot first\rtrailing space \n\(long)"
            try await Self.client(sink.port).send(Self.message(subject: "Plain ASCII subject", body: body))

            let mail = try #require(sink.messages().first)
            #expect(mail.mailParameters == [])
            #expect(mail.header("Content-Transfer-Encoding") == "quoted-printable")
            #expect(mail.header("Subject") == "Plain ASCII subject")
            #expect(mail.body == "Grüße\n.dot first\ntrailing space \n\(long)\n")
            #expect(mail.data.utf8.allSatisfy { $0 < 0x80 })
            #expect(mail.data.split(separator: "\r\n").allSatisfy { $0.utf8.count <= 76 })
        }
    }

    @Test func asciiBodyGoesAs7BitAndLongSubjectsFold() async throws {
        try await Self.withSink { sink in
            let subject = String(repeating: "Zustimmung für Rapport — ", count: 8)
            try await Self.client(sink.port).send(Self.message(subject: subject, body: "Plain text.\n"))

            let mail = try #require(sink.messages().first)
            #expect(mail.header("Content-Transfer-Encoding") == "7bit")
            #expect(mail.mailParameters == [])
            #expect(mail.subject == subject)
            #expect(mail.data.split(separator: "\r\n").allSatisfy { $0.utf8.count <= 76 })
        }
    }

    @Test func multiLineRepliesAreRead() async throws {
        try await Self.withSink(.init(greeting: ["first line", "second line", "third line"])) { sink in
            try await Self.client(sink.port).send(Self.message())
            #expect(sink.messages().count == 1)

            sink.refuse(.recipient, code: 550, text: ["5.1.1 mailbox unknown", "see the relay's log"])
            let error = await #expect(throws: SMTPError.self) { try await Self.client(sink.port).send(Self.message()) }
            #expect(error?.code == .rejected(550))
            #expect(error?.message.contains("5.1.1 mailbox unknown see the relay's log") == true)
        }
    }

    @Test func heloWhenEHLOIsRefused() async throws {
        try await Self.withSink(.init(refuseEHLO: true)) { sink in
            try await Self.client(sink.port).send(Self.message(body: "Grüße\n"))
            let mail = try #require(sink.messages().first)
            #expect(sink.commands().prefix(2).map { String($0.prefix(4)) } == ["EHLO", "HELO"])
            #expect(mail.header("Content-Transfer-Encoding") == "quoted-printable")
            #expect(mail.body == "Grüße\n")
        }
    }

    @Test func authPlainWhenOffered() async throws {
        try await Self.withSink(.init(credentials: ("rapport", "s3cret pässword"))) { sink in
            try await Self.client(sink.port, username: "rapport", password: "s3cret pässword").send(Self.message())
            #expect(sink.messages().first?.authenticatedUser == "rapport")
            #expect(sink.commands().contains { $0.hasPrefix("AUTH PLAIN ") })

            let wrong = await #expect(throws: SMTPError.self) {
                try await Self.client(sink.port, username: "rapport", password: "wrong").send(Self.message())
            }
            #expect(wrong?.code == .rejected(535))
            #expect(wrong?.isTransient == false)

            let anonymous = await #expect(throws: SMTPError.self) { try await Self.client(sink.port).send(Self.message()) }
            #expect(anonymous?.code == .rejected(530))
            #expect(sink.messages().count == 1)
        }
    }

    @Test func credentialsAreNotSentWhenAuthIsNotOffered() async throws {
        try await Self.withSink { sink in
            let error = await #expect(throws: SMTPError.self) {
                try await Self.client(sink.port, username: "rapport", password: "secret").send(Self.message())
            }
            #expect(error?.code == .authenticationUnavailable)
            #expect(!sink.commands().contains { $0.hasPrefix("AUTH") })
            #expect(sink.messages().isEmpty)
        }
    }

    @Test func connectionRefusedFailsQuickly() async throws {
        let port = SMTPSink.quietPort()
        let error = await #expect(throws: SMTPError.self) { try await Self.client(port).send(Self.message()) }
        #expect(error?.code == .connectionFailed)
        #expect(error?.isTransient == true)
        #expect(error?.description.contains("connection_failed") == true)
        #expect(error?.message.contains("127.0.0.1:\(port)") == true)
    }

    @Test func silentServerTimesOut() async throws {
        try await Self.withSink(.init(silent: true)) { sink in
            let start = ContinuousClock.now
            let error = await #expect(throws: SMTPError.self) {
                try await Self.client(sink.port, timeout: .milliseconds(300)).send(Self.message())
            }
            let elapsed = ContinuousClock.now - start
            #expect(error?.code == .timeout)
            #expect(error?.isTransient == true)
            // It waited for the timeout (no upper bound: a loaded machine is slow).
            #expect(elapsed >= .milliseconds(300))
        }
    }

    @Test func cancellationEndsAWaitingSend() async throws {
        try await Self.withSink(.init(silent: true)) { sink in
            let start = ContinuousClock.now
            let task = Task { try await Self.client(sink.port, timeout: .seconds(600)).send(Self.message()) }
            try await Task.sleep(for: .milliseconds(200))
            task.cancel()
            await #expect(throws: CancellationError.self) { try await task.value }
            // Ended by the cancellation, long before the 600 s timeout (the margin is for a loaded machine).
            #expect(ContinuousClock.now - start < .seconds(300))
        }
    }

    @Test(arguments: [(SMTPSink.Stage.recipient, 451), (.recipient, 554), (.data, 451), (.data, 554)])
    func refusalsCarryTheReplyCode(stage: SMTPSink.Stage, code: Int) async throws {
        try await Self.withSink { sink in
            sink.refuse(stage, code: code, text: ["4.7.1 come back later or never"])
            let error = await #expect(throws: SMTPError.self) { try await Self.client(sink.port).send(Self.message()) }
            #expect(error?.code == .rejected(code))
            #expect(error?.replyCode == code)
            #expect(error?.isTransient == (code < 500))
            #expect(error?.message.contains("\(code) 4.7.1 come back later or never") == true)
            #expect(sink.messages().isEmpty)
            #expect(sink.commands().last == "QUIT")

            sink.acceptAll()
            try await Self.client(sink.port).send(Self.message())
            #expect(sink.messages().count == 1)
        }
    }

    @Test(arguments: [
        MailMessage(to: "admin@tenant.example\r\nBcc: victim@example.com", subject: "Hi", body: ""),
        MailMessage(to: "admin@tenant.example", subject: "Hi\nBcc: victim@example.com", body: ""),
        MailMessage(to: "admin@tenant.example", subject: "Hi\r", body: ""),
        MailMessage(to: "Admin <admin@tenant.example>", subject: "Hi", body: ""),
        MailMessage(to: "admin@tenant.example", subject: "Hi", body: "", messageID: "a@b>\r\nBcc: x@y"),
    ])
    func headerInjectionIsRefusedBeforeConnecting(message: MailMessage) async throws {
        try await Self.withSink { sink in
            let error = await #expect(throws: SMTPError.self) { try await Self.client(sink.port).send(message) }
            #expect(error?.code == .invalidMessage)
            #expect(sink.commands().isEmpty)
        }
    }

    @Test func lineBreakInFromIsRefused() async throws {
        try await Self.withSink { sink in
            let client = SMTPClient(configuration: SMTPConfiguration(host: "127.0.0.1", port: sink.port, from: "rapport@x.example\r\nBcc: a@b"))
            let error = await #expect(throws: SMTPError.self) { try await client.send(Self.message()) }
            #expect(error?.code == .invalidMessage)
            #expect(sink.commands().isEmpty)
        }
    }

    @Test func relayDownThenUpOnTheSamePort() async throws {
        let port = SMTPSink.quietPort()
        let first = try await SMTPSink.start(port: port)
        try await Self.client(port).send(Self.message(subject: "one"))
        #expect(first.messages().count == 1)
        await first.stop()

        let down = await #expect(throws: SMTPError.self) { try await Self.client(port).send(Self.message(subject: "two")) }
        #expect(down?.code == .connectionFailed)

        let second = try await SMTPSink.restart(port: port)
        #expect(second.port == port)
        await #expect(throws: Never.self) { try await Self.client(port).send(Self.message(subject: "two")) }
        #expect(second.messages().map(\.subject) == ["two"])
        await second.stop()
    }

    @Test func generatedMessageIDsAreUniqueAtTheSenderDomain() async throws {
        try await Self.withSink { sink in
            let client = Self.client(sink.port)
            try await client.send(Self.message())
            try await client.send(Self.message())
            let ids = sink.messages().compactMap { $0.header("Message-ID") }
            #expect(ids.count == 2 && ids[0] != ids[1])
            #expect(ids.allSatisfy { $0.hasPrefix("<") && $0.hasSuffix("@rapport.example>") })
        }
    }
}
