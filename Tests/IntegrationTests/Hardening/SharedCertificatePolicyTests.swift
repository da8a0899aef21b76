import Foundation
import TestSupport
import Testing

/// Two sites share one certificate, but only one requires a client certificate (mTLS). A handshake
/// made for the open site must not carry a request for the protected one: the 421 check compares what
/// the handshake enforced (certificate and policy), not only the certificate.
@Suite struct SharedCertificatePolicyTests {
    @Test func requestCannotCrossIntoASiteWithAStricterPolicy() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pc-shared-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let certs = try await ClientCertificates.make(in: dir)
        let policy = [
            "[[policy]]", "name = \"mtls-required\"", "base = \"mozilla-intermediate@5.7\"", "client_auth = \"required\"",
            "client_ca_file = \(toml(certs.caFile))",
        ]
        let proxy = try await ProxyUnderTest.start(
            ProxyConfigSpec(
                listeners: [.https()],
                sites: [
                    SiteSpec(hosts: ["www.test"], certificate: "shared", respond: "www\n"),
                    SiteSpec(
                        hosts: ["admin.test"], certificate: "shared", respond: "admin\n",
                        extra: ["policy = \"mtls-required\""] + policy),
                ])
        ) { config in
            let shared = try await TestCA.selfSigned(commonName: "www.test", dnsNames: ["www.test", "admin.test"], in: dir)
            let result = try await ChildProcess.run(
                try ProxyUnderTest.binary(),
                ["certs", "import", "--name", "shared", "--cert", shared.certificate, "--key", shared.key, "--config", config],
                within: 30)
            guard result.exitCode == 0 else { throw HarnessError("certs import failed: \(result.stderr)") }
        }
        defer { proxy.kill() }
        let port = proxy.httpsPort

        let crossed = try await Curl.https(host: "www.test", port: port, ["-H", "Host: admin.test"])
        #expect(crossed.status == 421, "a handshake without a client certificate must not reach admin.test")
        #expect(!crossed.bodyText.contains("admin"))

        let own = try await Curl.https(host: "www.test", port: port)
        #expect(own.status == 200 && own.bodyText == "www\n")
        let alice = ["--cert", certs.certificate, "--key", certs.key]
        let admin = try await Curl.https(host: "admin.test", port: port, alice)
        #expect(admin.status == 200 && admin.bodyText == "admin\n", "the mTLS handshake for admin.test still works")
    }
}
