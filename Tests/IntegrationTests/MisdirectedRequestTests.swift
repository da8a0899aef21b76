import Foundation
import Testing
import TestSupport

/// 421 Misdirected Request when the Host belongs to a different certificate than the SNI chose; hosts
/// that share the handshake's certificate are fine (README, routing).
@Suite struct MisdirectedRequestTests {
    @Test func hostOfAnotherCertificateGets421() async throws {
        let proxy = try await ProxyUnderTest.start(
            ProxyConfigSpec(sites: [
                .respond(["a.test"], "site a\n"), .respond(["b.test"], "site b\n"), .respond(["c1.test", "c2.test"], "site c\n"),
            ]))
        defer { proxy.kill() }
        let port = proxy.httpsPort

        let crossed = try await Curl.https(host: "a.test", port: port, ["-H", "Host: b.test"])
        #expect(crossed.status == 421)
        #expect(!crossed.bodyText.contains("site b"))

        let matching = try await Curl.https(host: "a.test", port: port, ["-H", "Host: A.TEST:\(port)"])
        #expect(matching.status == 200, "Host is case-insensitive and may carry the port")
        #expect(matching.bodyText == "site a\n")

        let sameCertificate = try await Curl.https(host: "c1.test", port: port, ["-H", "Host: c2.test"])
        #expect(sameCertificate.status == 200, "c1 and c2 share one certificate")
        #expect(sameCertificate.bodyText == "site c\n")
    }
}
