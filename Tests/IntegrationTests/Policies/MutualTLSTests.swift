import Foundation
import TestSupport
import Testing

/// `client_auth` in a `[[policy]]`: `required` refuses a handshake without a valid client certificate;
/// `optional` passes the verified subject upstream in X-Client-Cert-Subject, which a client cannot set
/// itself; `none` sends no CertificateRequest.
@Suite struct MutualTLSTests {
    @Test func requiredOptionalAndNone() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("portcullis-mtls-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let certs = try await ClientCertificates.make(in: dir)
        let upstream = try TestUpstream(name: "app")
        defer { upstream.stop() }
        let policies = [
            "[[policy]]", "name = \"mtls-required\"", "base = \"mozilla-intermediate@5.7\"",
            "client_auth = \"required\"",
            "client_ca_file = \(toml(certs.caFile))",
            "[[policy]]", "name = \"mtls-optional\"", "client_auth = \"optional\"",
            "client_ca_file = \(toml(certs.caFile))",
        ]
        let proxy = try await ProxyUnderTest.start(
            ProxyConfigSpec(
                listeners: [.https()],
                sites: [
                    SiteSpec(hosts: ["none.test"], respond: "none\n"),
                    SiteSpec(hosts: ["req.test"], respond: "req\n", extra: ["policy = \"mtls-required\""]),
                    SiteSpec(
                        hosts: ["opt.test"], upstreams: [upstream.address],
                        extra: ["policy = \"mtls-optional\""] + policies),
                ]))
        defer { proxy.kill() }
        let port = proxy.httpsPort
        let alice = ["--cert", certs.certificate, "--key", certs.key]
        let mallory = ["--cert", certs.untrustedCertificate, "--key", certs.untrustedKey]
        let forged = ["-H", "X-Client-Cert-Subject: CN=admin"]

        // required
        #expect(try await Curl.https(host: "req.test", port: port).status == 0, "no certificate: refused")
        #expect(
            try await Curl.https(host: "req.test", port: port, mallory).status == 0, "untrusted certificate: refused")
        #expect(try await Curl.https(host: "req.test", port: port, alice).status == 200)

        // optional: the verified subject goes upstream; a forged header never does.
        #expect(try await Curl.https(host: "opt.test", port: port, path: "/name?anon", forged).status == 200)
        #expect(try await Curl.https(host: "opt.test", port: port, path: "/name?alice", alice + forged).status == 200)
        #expect(
            try await Curl.https(host: "opt.test", port: port, path: "/name?mallory", mallory).status == 0,
            "a certificate that does not verify is refused even when optional")
        try await upstream.waitForRequests(2)
        let anonymous = try #require(upstream.requests.first { $0.target == "/name?anon" })
        #expect(anonymous.headers.all("x-client-cert-subject").isEmpty, "forged header stripped")
        let verified = try #require(upstream.requests.first { $0.target == "/name?alice" })
        #expect(verified.headers.all("x-client-cert-subject") == ["CN=alice,O=Portcullis Tests"])

        // none / required: is a CertificateRequest sent?
        let none = try await TLSProbe.handshake(port: port, serverName: "none.test")
        #expect(none.rawOutput.contains("No client certificate CA names sent"))
        let asked = try await PolicyProbes.handshake(port: port, sni: "req.test", ["-tls1_2"])
        #expect(asked.output.contains("Portcullis Test Client CA"), "the CA name is offered to the client")
    }
}
