import Foundation
import TestSupport
import Testing

/// The session-ID context of an mTLS site follows the client CA file's content, not its path:
/// after the file is replaced with another CA and the proxy reloads, a session made under the old
/// CA must not resume (resuming would skip the client certificate check against the new CA).
@Suite struct ClientCASessionTests {
    @Test func replacedClientCADoesNotResumeOldSessions() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("portcullis-ca-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir + "/old", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir + "/new", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let old = try await ClientCertificates.make(in: dir + "/old")
        let new = try await ClientCertificates.make(in: dir + "/new")
        let caFile = dir + "/clients.pem"
        try FileManager.default.copyItem(atPath: old.caFile, toPath: caFile)
        let policy = [
            "[[policy]]", "name = \"mtls\"", "base = \"mozilla-intermediate@5.7\"", "client_auth = \"required\"",
            "client_ca_file = \(toml(caFile))",
        ]
        let spec = ProxyConfigSpec(
            listeners: [.https()],
            sites: [SiteSpec(hosts: ["mtls.test"], respond: "ok\n", extra: ["policy = \"mtls\""] + policy)])
        let proxy = try await ProxyUnderTest.start(spec)
        defer { proxy.kill() }
        let session = proxy.directory + "/alice.session"
        let alice = ["-tls1_2", "-cert", old.certificate, "-key", old.key]
        let first = try await TLSProbe.handshake(
            port: proxy.httpsPort, serverName: "mtls.test", extraArguments: alice, sessionOut: session)
        #expect(!first.reused)
        let again = try await TLSProbe.handshake(
            port: proxy.httpsPort, serverName: "mtls.test", extraArguments: ["-tls1_2"], sessionIn: session)
        #expect(again.reused, "the session resumes while the CA is unchanged")

        // Same path, other content: the old CA no longer vouches for alice.
        try FileManager.default.removeItem(atPath: caFile)
        try FileManager.default.copyItem(atPath: new.caFile, toPath: caFile)
        proxy.sendSignal(SIGHUP)
        try await proxy.waitForGeneration(2)
        let after = try await TLSProbe.handshake(
            port: proxy.httpsPort, serverName: "mtls.test", extraArguments: ["-tls1_2"], sessionIn: session)
        #expect(!after.reused, "a session made under the replaced client CA must not resume")
    }
}
