import Foundation
import Testing
import TestSupport

/// Sessions resume on the site that issued them and never on another site (per-site session-ID
/// context; see docs/REFERENCE.md, session resumption), in TLS 1.2 and 1.3. For 1.3 the probe waits
/// for the post-handshake ticket before it saves the session.
@Suite struct SessionResumptionTests {
    @Test(arguments: ["TLSv1.2", "TLSv1.3"])
    func sessionResumesOnlyOnItsOwnSite(version: String) async throws {
        let proxy = try await ProxyUnderTest.start(
            ProxyConfigSpec(sites: [.respond(["a.test"], "a\n"), .respond(["b.test"], "b\n")]))
        defer { proxy.kill() }
        let session = proxy.directory + "/a.session"
        let flags = [version == "TLSv1.2" ? "-tls1_2" : "-tls1_3"]

        let first = try await TLSProbe.handshake(port: proxy.httpsPort, serverName: "a.test", extraArguments: flags, sessionOut: session)
        #expect(!first.reused)
        #expect(first.protocolVersion == version)

        let again = try await TLSProbe.handshake(port: proxy.httpsPort, serverName: "a.test", extraArguments: flags, sessionIn: session)
        #expect(again.reused, "same site resumes")

        let other = try await TLSProbe.handshake(port: proxy.httpsPort, serverName: "b.test", extraArguments: flags, sessionIn: session)
        #expect(!other.reused, "a session from a.test must not resume on b.test")
        #expect(other.subjectAltNames == ["b.test"])
    }
}
