import Foundation
import TestSupport
import Testing

/// What holds whatever the policy: renegotiation refused, no compression, no 0-RTT, sessions never
/// resume across sites (even sites with different policies), and tickets resume across workers.
@Suite struct AlwaysOnOptionsTests {
    @Test func clientInitiatedRenegotiationIsRefused() async throws {
        let proxy = try await ProxyUnderTest.start(
            ProxyConfigSpec(listeners: [.https()], sites: [.respond(["r.test"], "r\n")]))
        defer { proxy.kill() }
        let client = try ChildProcess(
            "openssl", ["s_client", "-connect", "127.0.0.1:\(proxy.httpsPort)", "-servername", "r.test", "-tls1_2"],
            pipeStdin: true)
        defer { client.kill() }
        try await eventually(within: 10, "handshake") { client.stdoutText.contains("\nNew, TLSv1.2") }
        #expect(client.stdoutText.contains("Compression: NONE"))
        try client.write("R\n")
        try await eventually(within: 10, "renegotiation refused") {
            (client.stdoutText + client.stderrText).contains("no renegotiation")
        }
        #expect((client.stdoutText + client.stderrText).contains("RENEGOTIATING"), "the client did try")
    }

    @Test(arguments: ["-tls1_2", "-tls1_3"])
    func sessionsNeverCrossSitesWithDifferentPolicies(version: String) async throws {
        let proxy = try await ProxyUnderTest.start(
            ProxyConfigSpec(
                listeners: [.https()],
                sites: [
                    SiteSpec(hosts: ["a.test"], respond: "a\n", extra: ["policy = \"mozilla-intermediate@5.7\""]),
                    SiteSpec(
                        hosts: ["b.test"], respond: "b\n",
                        extra: ["policy = \"ELBSecurityPolicy-TLS13-1-2-Res-2021-06\""]),
                ]))
        defer { proxy.kill() }
        let session = proxy.directory + "/a.session"
        let first = try await TLSProbe.handshake(
            port: proxy.httpsPort, serverName: "a.test", extraArguments: [version], sessionOut: session)
        #expect(!first.reused)
        let same = try await TLSProbe.handshake(
            port: proxy.httpsPort, serverName: "a.test", extraArguments: [version], sessionIn: session)
        #expect(same.reused, "control: the session resumes on its own site")
        let other = try await TLSProbe.handshake(
            port: proxy.httpsPort, serverName: "b.test", extraArguments: [version], sessionIn: session)
        #expect(!other.reused, "a session from a.test must not resume on b.test")
        #expect(other.subjectAltNames == ["b.test"])
    }

    /// One site on two listeners with different policies: a TLS 1.2 session made under the looser
    /// policy never resumes under the stricter one (the policy is part of the session-ID context).
    @Test func sessionsNeverCarryACipherIntoAStricterPolicy() async throws {
        let proxy = try await ProxyUnderTest.start(
            ProxyConfigSpec(
                listeners: [.https(extra: ["policy = \"ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06\""]), .https()],
                sites: [SiteSpec(hosts: ["s.test"], respond: "s\n", extra: ["key_types = [\"ec256\", \"rsa2048\"]"])]))
        defer { proxy.kill() }
        let ports = try #require(proxy.ready).listeners.map(\.port)
        let session = proxy.directory + "/s.session"
        let weak = ["-tls1_2", "-cipher", "AES128-SHA"]
        let both = ["-tls1_2", "-cipher", "AES128-SHA:ECDHE-ECDSA-AES128-GCM-SHA256"]
        let first = try await TLSProbe.handshake(
            port: ports[0], serverName: "s.test", extraArguments: weak, sessionOut: session)
        #expect(first.cipher == "AES128-SHA")
        let same = try await TLSProbe.handshake(
            port: ports[0], serverName: "s.test", extraArguments: both, sessionIn: session)
        #expect(same.reused, "control: resumes under the policy that made it")
        let strict = try await TLSProbe.handshake(
            port: ports[1], serverName: "s.test", extraArguments: both, sessionIn: session)
        #expect(!strict.reused && strict.cipher == "ECDHE-ECDSA-AES128-GCM-SHA256")
    }

    /// Four workers share one rotating ticket key ring: a ticket from one connection resumes on every
    /// later connection, whichever worker SO_REUSEPORT hands it to. TLS 1.3 resumption is ticket-only.
    @Test(arguments: ["-tls1_2", "-tls1_3"])
    func ticketsResumeAcrossWorkers(version: String) async throws {
        let proxy = try await ProxyUnderTest.start(
            ProxyConfigSpec(server: ["workers": "4"], listeners: [.https()], sites: [.respond(["t.test"], "t\n")]))
        defer { proxy.kill() }
        let session = proxy.directory + "/t.session"
        let first = try await TLSProbe.handshake(
            port: proxy.httpsPort, serverName: "t.test", extraArguments: [version], sessionOut: session)
        #expect(!first.reused)
        #expect(first.rawOutput.contains("TLS session ticket:"), "a ticket was issued")
        for attempt in 0..<6 {
            let again = try await TLSProbe.handshake(
                port: proxy.httpsPort, serverName: "t.test", extraArguments: [version], sessionIn: session)
            #expect(again.reused, "resumption \(attempt) with the ticket")
        }
    }

    @Test func zeroRTTIsNotAccepted() async throws {
        let proxy = try await ProxyUnderTest.start(
            ProxyConfigSpec(listeners: [.https()], sites: [.respond(["z.test"], "z\n")]))
        defer { proxy.kill() }
        let session = proxy.directory + "/z.session"
        let early = proxy.directory + "/early.txt"
        try "GET / HTTP/1.1\r\nHost: z.test\r\n\r\n".write(toFile: early, atomically: true, encoding: .utf8)
        _ = try await TLSProbe.handshake(
            port: proxy.httpsPort, serverName: "z.test", extraArguments: ["-tls1_3"], sessionOut: session)
        let result = try await ChildProcess.run(
            "openssl",
            [
                "s_client", "-connect", "127.0.0.1:\(proxy.httpsPort)", "-servername", "z.test", "-tls1_3",
                "-sess_in", session, "-early_data", early,
            ], within: 15)
        let output = String(decoding: result.stdout, as: UTF8.self)
        #expect(output.contains("Reused, TLSv1.3"), "control: the session resumed")
        #expect(!output.contains("Early data was accepted"), "\(output.suffix(300))")
    }
}
