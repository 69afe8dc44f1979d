#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import NIOCore
import NIOPosix

/// Hands messages to an SMTP relay, one connection per message.
///
/// The dialogue is RFC 5321's: greeting, EHLO (HELO when EHLO is refused with
/// 5xx), AUTH PLAIN when credentials are configured, MAIL, RCPT, DATA, QUIT.
/// There is no STARTTLS: the relay must be on localhost or a trusted network.
/// Once the relay has accepted the message (250 after DATA), `send` returns
/// normally whatever happens to QUIT, so a retry never duplicates an accepted message.
public struct SMTPClient: Sendable {
    public let configuration: SMTPConfiguration
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger

    /// Wait at most this long (or the configured timeout, if shorter) for the reply to QUIT.
    private static let quitTimeout = Duration.seconds(2)

    public init(
        configuration: SMTPConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "rapport.mail")
    ) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
    }

    /// Sends `message`; throws `SMTPError` (or `CancellationError` when the task is cancelled).
    public func send(_ message: MailMessage) async throws {
        let prepared = try PreparedMessage(message, from: configuration.from)
        let credentials = try validatedConfiguration()
        var logger = self.logger
        logger[metadataKey: "smtp.message_id"] = "\(prepared.messageID)"
        let connection = try await SMTPConnection.connect(
            host: configuration.host,
            port: configuration.port,
            timeout: configuration.timeout,
            group: eventLoopGroup,
            logger: logger
        )
        do {
            try await withTaskCancellationHandler {
                try await dialogue(prepared, credentials: credentials, on: connection)
            } onCancel: {
                connection.channel.close(promise: nil)
            }
        } catch {
            if let error = error as? SMTPError, case .rejected = error.code {
                _ = try? await connection.reply(to: "QUIT", verb: "QUIT", timeout: min(configuration.timeout, Self.quitTimeout))
            }
            await connection.close()
            try Task.checkCancellation()
            logger.debug("SMTP send failed", metadata: ["smtp.error": "\(error)"])
            throw error
        }
    }

    private func dialogue(_ message: PreparedMessage, credentials: (String, String)?, on connection: SMTPConnection) async throws {
        try expect(await connection.reply(to: nil, verb: "greeting"), 220, after: "greeting")

        var extensions = SMTPExtensions()
        let ehlo = try await connection.reply(to: "EHLO \(configuration.heloName)", verb: "EHLO")
        if ehlo.code == 250 {
            extensions = SMTPExtensions(ehloReply: ehlo)
        } else if (500...599).contains(ehlo.code) {
            try expect(await connection.reply(to: "HELO \(configuration.heloName)", verb: "HELO"), 250, after: "HELO")
        } else {
            try expect(ehlo, 250, after: "EHLO")
        }

        if let (username, password) = credentials {
            guard extensions.supportsAuthentication("PLAIN") else {
                throw SMTPError(code: .authenticationUnavailable, message: "credentials are configured but the relay does not offer AUTH PLAIN")
            }
            let token = Data(([0] + Array(username.utf8) + [0] + Array(password.utf8))).base64EncodedString()
            var reply = try await connection.reply(to: "AUTH PLAIN \(token)", verb: "AUTH PLAIN")
            if reply.code == 334 {  // a relay that does not take the initial response asks for it
                reply = try await connection.reply(to: token, verb: "AUTH PLAIN response")
            }
            try expect(reply, 235, after: "AUTH PLAIN")
        }

        let (bytes, encoding) = message.rendered(date: Date(), eightBitMIME: extensions.supports("8BITMIME"))
        let body = encoding == .eightBit ? " BODY=8BITMIME" : ""
        try expect(await connection.reply(to: "MAIL FROM:<\(message.from)>\(body)", verb: "MAIL FROM"), 250, after: "MAIL FROM")
        let rcpt = try await connection.reply(to: "RCPT TO:<\(message.to)>", verb: "RCPT TO")
        try expect(rcpt, rcpt.code == 251 ? 251 : 250, after: "RCPT TO")
        try expect(await connection.reply(to: "DATA", verb: "DATA"), 354, after: "DATA")
        let data = DotStuffing.data(bytes, allocator: connection.channel.allocator)
        try expect(await connection.reply(toData: data), 250, after: "end of data")
        connection.logger.debug("SMTP message accepted", metadata: ["smtp.transfer_encoding": "\(encoding.rawValue)"])

        // Accepted: from here on nothing may fail the send.
        _ = try? await connection.reply(to: "QUIT", verb: "QUIT", timeout: min(configuration.timeout, Self.quitTimeout))
        await connection.close()
    }

    /// Throws unless `reply` has the `expected` code; 4xx and 5xx become `.rejected`.
    private func expect(_ reply: SMTPReply, _ expected: Int, after step: String) throws {
        guard reply.code != expected else { return }
        if reply.isFailure {
            throw SMTPError(code: .rejected(reply.code), message: "relay refused \(step): \(reply.summary)")
        }
        throw SMTPError(code: .protocolViolation, message: "unexpected reply to \(step), wanted \(expected): \(reply.summary)")
    }

    /// Checks the HELO name and credentials; returns the credentials when both are set.
    private func validatedConfiguration() throws -> (String, String)? {
        let helo = configuration.heloName
        guard !helo.isEmpty, helo.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
            throw SMTPError(code: .invalidConfiguration, message: "heloName must be a non-empty ASCII name without spaces")
        }
        guard (1...65_535).contains(configuration.port) else {
            throw SMTPError(code: .invalidConfiguration, message: "port must be in 1…65535")
        }
        guard let username = configuration.username, let password = configuration.password else { return nil }
        let forbidden: Set<Unicode.Scalar> = ["\0", "\r", "\n"]
        guard !username.unicodeScalars.contains(where: forbidden.contains),
              !password.unicodeScalars.contains(where: forbidden.contains)
        else {
            throw SMTPError(code: .invalidConfiguration, message: "username and password must not contain NUL, CR or LF")
        }
        return (username, password)
    }
}
