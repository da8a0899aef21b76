import Foundation
import Testing
import TestSupport

/// Certificate selection in the ClientHello callback: exact name, then a one-label wildcard, then the
/// listener's default certificate (docs/REFERENCE.md, certificate store). Certificates are the proxy's own self-signed ones,
/// whose SANs are the site's hosts (CONTRACTS: state directory).
@Suite struct SNISelectionTests {
    static func startProxy() async throws -> ProxyUnderTest {
        try await ProxyUnderTest.start(
            ProxyConfigSpec(
                listeners: [.https(defaultCertificate: "localhost")],
                sites: [
                    .respond(["localhost"], "default site\n"),
                    .respond(["exact.test"], "exact site\n"),
                    .respond(["*.wild.test"], "wildcard site\n"),
                ]))
    }

    @Test func exactNameSelectsItsCertificate() async throws {
        let proxy = try await Self.startProxy()
        defer { proxy.kill() }
        let hello = try await TLSProbe.handshake(port: proxy.httpsPort, serverName: "exact.test")
        #expect(hello.subjectAltNames == ["exact.test"])
        let response = try await Curl.https(host: "exact.test", port: proxy.httpsPort)
        #expect(response.status == 200)
        #expect(response.bodyText == "exact site\n")
    }

    @Test func wildcardCoversOneLabel() async throws {
        let proxy = try await Self.startProxy()
        defer { proxy.kill() }
        let hello = try await TLSProbe.handshake(port: proxy.httpsPort, serverName: "app.wild.test")
        #expect(hello.subjectAltNames == ["*.wild.test"])
        let response = try await Curl.https(host: "app.wild.test", port: proxy.httpsPort)
        #expect(response.bodyText == "wildcard site\n")

        // Two labels below the wildcard are not covered: the default certificate answers.
        let deep = try await TLSProbe.handshake(port: proxy.httpsPort, serverName: "a.b.wild.test")
        #expect(deep.subjectAltNames == ["localhost"])
    }

    @Test(arguments: ["unknown.test", nil] as [String?])
    func unknownOrMissingSNIGetsTheDefault(serverName: String?) async throws {
        let proxy = try await Self.startProxy()
        defer { proxy.kill() }
        let hello = try await TLSProbe.handshake(port: proxy.httpsPort, serverName: serverName)
        #expect(hello.subjectAltNames == ["localhost"])
        #expect(hello.protocolVersion == "TLSv1.3")
    }

    @Test func selfSignedCertificatesArePersistedInTheStateDirectory() async throws {
        let proxy = try await Self.startProxy()
        defer { proxy.kill() }
        for name in ["localhost", "exact.test", "_wildcard.wild.test"] {
            let dir = proxy.stateDir + "/certs/" + name
            #expect(FileManager.default.fileExists(atPath: dir + "/chain.pem"), "\(name)/chain.pem")
            let attributes = try? FileManager.default.attributesOfItem(atPath: dir + "/key.pem")
            let mode = (attributes?[.posixPermissions] as? NSNumber)?.intValue
            #expect(mode == 0o600, "\(name)/key.pem mode")
        }
    }
}
