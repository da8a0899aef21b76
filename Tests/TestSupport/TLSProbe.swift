import Foundation

/// What `openssl s_client` saw in one handshake.
public struct TLSHandshake: Sendable {
    public let subject: String
    public let commonName: String?
    /// DNS names from subjectAltName, in certificate order.
    public let subjectAltNames: [String]
    /// e.g. "TLSv1.3".
    public let protocolVersion: String?
    public let cipher: String?
    /// True for a `Reused, ...` line, false for `New, ...`.
    public let reused: Bool
    public let rawOutput: String
}

/// Runs `openssl s_client` against the proxy with a deadline.
public enum TLSProbe {
    /// One handshake. `serverName` nil sends no SNI. `sessionOut`/`sessionIn` are session files for
    /// resumption checks (use `extraArguments: ["-tls1_2"]` for stable tickets, per the OpenSSL notes).
    public static func handshake(
        port: UInt16, serverName: String?, extraArguments: [String] = [], sessionOut: String? = nil,
        sessionIn: String? = nil, within seconds: Double = 10, file: StaticString = #filePath, line: UInt = #line
    ) async throws -> TLSHandshake {
        var args = ["s_client", "-connect", "127.0.0.1:\(port)", "-showcerts"]
        args += serverName.map { ["-servername", $0] } ?? ["-noservername"]
        if let sessionOut { args += ["-sess_out", sessionOut] }
        if let sessionIn { args += ["-sess_in", sessionIn] }
        args += extraArguments
        let client = try ChildProcess("openssl", args, pipeStdin: true)
        defer { client.kill() }
        // Keep stdin open until the handshake summary is printed and, when saving a session, until
        // s_client has written it (TLS 1.3 tickets arrive after the handshake).
        try await eventually(within: seconds, "s_client handshake summary", file: file, line: line) {
            let out = client.stdoutText
            let summary = out.contains("\nNew, ") || out.contains("\nReused, ")
            let saved = sessionOut.map { ((try? FileManager.default.attributesOfItem(atPath: $0)[.size] as? Int) ?? 0) > 0 } ?? true
            return client.hasExited || (summary && saved)
        }
        client.closeStdin()
        try await client.waitForExit(within: seconds, file: file, line: line)
        let output = client.stdoutText
        guard let pem = Self.firstPEM(output) else {
            throw HarnessError("no certificate from s_client: \(output.suffix(400)) \(client.stderrText.suffix(400))", file: file, line: line)
        }
        let x509 = try await ChildProcess.run(
            "openssl", ["x509", "-noout", "-subject", "-ext", "subjectAltName", "-nameopt", "RFC2253"],
            stdin: Array(pem.utf8), within: seconds, file: file, line: line)
        let text = String(decoding: x509.stdout, as: UTF8.self)
        let subject = text.split(separator: "\n").first { $0.hasPrefix("subject=") }.map { String($0.dropFirst(8)) } ?? ""
        let cn = subject.split(separator: ",").first { $0.hasPrefix("CN=") }.map { String($0.dropFirst(3)) }
        let sans = text.components(separatedBy: .whitespacesAndNewlines).compactMap { word -> String? in
            let token = word.trimmingCharacters(in: CharacterSet(charactersIn: ","))
            return token.hasPrefix("DNS:") ? String(token.dropFirst(4)) : nil
        }
        let summary = output.split(separator: "\n").first { $0.hasPrefix("New, ") || $0.hasPrefix("Reused, ") }
        let fields = summary?.components(separatedBy: ", ") ?? []
        return TLSHandshake(
            subject: subject, commonName: cn, subjectAltNames: sans,
            protocolVersion: fields.count > 1 ? fields[1] : nil,
            cipher: fields.count > 2 ? fields[2].replacingOccurrences(of: "Cipher is ", with: "") : nil,
            reused: summary?.hasPrefix("Reused") ?? false, rawOutput: output)
    }

    static func firstPEM(_ text: String) -> String? {
        guard let start = text.range(of: "-----BEGIN CERTIFICATE-----"),
            let end = text.range(of: "-----END CERTIFICATE-----", range: start.upperBound..<text.endIndex)
        else { return nil }
        return String(text[start.lowerBound..<end.upperBound]) + "\n"
    }

    /// Sends raw bytes over TLS and returns the first complete HTTP response (or what arrived before
    /// the connection closed). For strict-parser tests.
    public static func exchange(
        port: UInt16, serverName: String, send bytes: [UInt8], within seconds: Double = 10,
        file: StaticString = #filePath, line: UInt = #line
    ) async throws -> HTTPResponse {
        let session = try TLSSession(port: port, serverName: serverName)
        defer { session.close() }
        try session.send(bytes)
        return try await session.readResponse(within: seconds, file: file, line: line)
    }

    public static func exchange(
        port: UInt16, serverName: String, send text: String, within seconds: Double = 10,
        file: StaticString = #filePath, line: UInt = #line
    ) async throws -> HTTPResponse {
        try await self.exchange(port: port, serverName: serverName, send: Array(text.utf8), within: seconds, file: file, line: line)
    }
}

/// An interactive TLS connection through `openssl s_client -quiet`: bytes written go to the server
/// unchanged, and the server's bytes accumulate in `received`.
public final class TLSSession: @unchecked Sendable {
    private let client: ChildProcess
    private let consumed = Locked(0)

    public init(port: UInt16, serverName: String) throws {
        self.client = try ChildProcess(
            "openssl", ["s_client", "-quiet", "-connect", "127.0.0.1:\(port)", "-servername", serverName],
            pipeStdin: true)
    }

    public func send(_ bytes: [UInt8]) throws { try self.client.write(bytes) }
    public func send(_ text: String) throws { try self.client.write(text) }

    /// Everything received so far (including what `readResponse` already returned).
    public var received: [UInt8] { self.client.stdoutBytes }
    /// True once the server closed the connection (s_client exited).
    public var isClosed: Bool { self.client.hasExited && self.client.outputClosed }
    public var diagnostics: String { self.client.stderrText }

    /// Bytes after what earlier `readResponse`/`readBytes` calls consumed, waiting until `count` are there.
    public func readBytes(_ count: Int, within seconds: Double = 10, file: StaticString = #filePath, line: UInt = #line) async throws -> [UInt8] {
        try await eventuallyValue(within: seconds, "\(count) bytes over TLS", file: file, line: line) {
            let all = self.client.stdoutBytes
            let start = self.consumed.value
            guard all.count - start >= count else {
                if self.isClosed { throw HarnessError("connection closed after \(all.count - start) of \(count) bytes") }
                return nil
            }
            self.consumed.withLock { $0 = start + count }
            return Array(all[start..<start + count])
        }
    }

    /// The next complete HTTP response; a close-delimited body ends when the server closes.
    public func readResponse(within seconds: Double = 10, file: StaticString = #filePath, line: UInt = #line) async throws -> HTTPResponse {
        try await eventuallyValue(within: seconds, "HTTP response over TLS", file: file, line: line) {
            let closed = self.isClosed
            let all = self.client.stdoutBytes
            let start = self.consumed.value
            if let (response, used) = HTTPResponse.parse(Array(all[start...]), atEOF: closed) {
                self.consumed.withLock { $0 = start + used }
                return response
            }
            if closed {
                throw HarnessError("connection closed without a complete response; got \(all.count - start) bytes: "
                    + String(decoding: all[start...].prefix(300), as: UTF8.self) + " stderr: " + self.client.stderrText.suffix(300))
            }
            return nil
        }
    }

    /// Waits until the server closes the connection.
    public func waitForClose(within seconds: Double = 10, file: StaticString = #filePath, line: UInt = #line) async throws {
        try await eventually(within: seconds, "server to close the TLS connection", file: file, line: line) { self.isClosed }
    }

    public func close() { self.client.kill() }
    deinit { self.client.kill() }
}
