import Foundation
import Testing
import TestSupport

/// `[admin] tls = true`: the admin API over HTTPS with a certificate from the store, no plain HTTP on
/// that port, and `allow_remote` refused without TLS.
@Suite(.serialized) struct AdminTLSTests {
    /// The admin port's handshake serves the store certificate `localhost` (the site's self-signed one),
    /// and the authorized API answers over it.
    @Test func servesHTTPSWithTheNamedStoreCertificate() async throws {
        let proxy = try await AdminProxy.start(
            sites: [.respond(["localhost"], "ok\n")], defaultCertificate: "localhost",
            extraAdmin: ["tls = true", "certificate = \"localhost\""])
        defer { proxy.kill() }
        let stored = try await AdminServing.serial(file: proxy.stateDir + "/certs/localhost/chain.pem")
        #expect(try await AdminServing.leafSerial(port: proxy.adminPort, host: "localhost") == stored)
        let token = try String(contentsOfFile: proxy.stateDir + "/admin.token", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let listed = try await Curl.https(
            host: "localhost", port: proxy.adminPort, path: "/api/v1/certificates", ["-H", "Authorization: Bearer \(token)"])
        #expect(listed.status == 200, "\(listed.stderr)")
        #expect(listed.bodyText.contains("\"localhost\""))
        let health = try await Curl.https(host: "localhost", port: proxy.adminPort, path: "/healthz")
        #expect(health.status == 200 && health.bodyText == "ok\n")
        #expect(try await Curl.https(host: "localhost", port: proxy.adminPort, path: "/api/v1/certificates").status == 401)
    }

    /// A plain HTTP request to the TLS admin port gets no HTTP answer, and HTTPS keeps working after it.
    @Test func refusesPlainHTTP() async throws {
        let proxy = try await AdminProxy.start(
            sites: [.respond(["localhost"], "ok\n")], defaultCertificate: "localhost",
            extraAdmin: ["tls = true", "certificate = \"localhost\""])
        defer { proxy.kill() }
        let plain = try await Curl.http(host: "localhost", port: proxy.adminPort, path: "/healthz", within: 10)
        #expect(plain.status == 0, "plain HTTP answered \(plain.status): \(plain.bodyText)")
        #expect(plain.exitCode != 0)
        #expect(try await Curl.https(host: "localhost", port: proxy.adminPort, path: "/healthz").status == 200)
    }

    /// `allow_remote = true` without `tls = true` fails `validate` with the file and the key's line.
    @Test func allowRemoteWithoutTLSIsAConfigError() async throws {
        var spec = ProxyConfigSpec(sites: [.respond(["ok.test"], "ok\n")])
        spec.trailer = ["[admin]", "bind = \"0.0.0.0:0\"", "allow_remote = true"]
        let text = spec.render()
        let line = try #require(text.split(separator: "\n", omittingEmptySubsequences: false)
            .firstIndex { $0.hasPrefix("allow_remote") }) + 1
        let result = try await ProxyUnderTest.validate(configText: text)
        #expect(result.exitCode == 1, "\(result.output)")
        #expect(
            result.output.contains("\(result.configPath):\(line): ") && result.output.contains("allow_remote = true requires tls = true"),
            "\(result.output)")
    }
}
