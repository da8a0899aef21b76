import Foundation
import Testing
import TestSupport

/// `[[listener]] default_site` and `unknown_host`: requests by IP or for a Host no site names go to the
/// default site (nginx `default_server`), or get 404 / 421 when the listener asks for that.
@Suite struct DefaultSiteTests {
    static let sites: [SiteSpec] = [
        .respond(["a.test"], "site a\n"), .respond(["b.test"], "site b\n"), .respond(["c.test"], "site c\n"),
    ]

    @Test func ipLiteralAndUnknownHostReachTheDefaultSite() async throws {
        let proxy = try await ProxyUnderTest.start(
            ProxyConfigSpec(listeners: [.https(extra: ["default_site = \"b.test\""])], sites: Self.sites))
        defer { proxy.kill() }
        // By IP: curl sends no SNI and `Host: 127.0.0.1:port`.
        let byIP = try await Curl.run(["https://127.0.0.1:\(proxy.httpsPort)/"])
        #expect(byIP.status == 200 && byIP.bodyText == "site b\n", "\(byIP.status) \(byIP.bodyText)")
        // Unknown SNI gets the default site's certificate, and the unknown Host its content.
        let unknown = try await Curl.https(host: "unknown.test", port: proxy.httpsPort)
        #expect(unknown.status == 200 && unknown.bodyText == "site b\n", "\(unknown.status) \(unknown.bodyText)")
        let hello = try await TLSProbe.handshake(port: proxy.httpsPort, serverName: nil)
        #expect(hello.subjectAltNames == ["b.test"])
        // Known hosts are routed as before.
        let known = try await Curl.https(host: "c.test", port: proxy.httpsPort)
        #expect(known.bodyText == "site c\n")
    }

    @Test func aHandshakeForAnotherSiteCannotReachTheDefaultSite() async throws {
        let proxy = try await ProxyUnderTest.start(
            ProxyConfigSpec(listeners: [.https(extra: ["default_site = \"b.test\""])], sites: Self.sites))
        defer { proxy.kill() }
        // SNI a.test (a's certificate and policy), Host unknown: routing it to b would skip b's handshake.
        let response = try await Curl.https(host: "a.test", port: proxy.httpsPort, ["-H", "Host: unknown.test"])
        #expect(response.status == 421, "\(response.status) \(response.bodyText)")
    }

    @Test func withoutDefaultSiteTheDefaultCertificatesSiteAnswers() async throws {
        let proxy = try await ProxyUnderTest.start(
            ProxyConfigSpec(listeners: [.https(defaultCertificate: "c.test")], sites: Self.sites))
        defer { proxy.kill() }
        let byIP = try await Curl.run(["https://127.0.0.1:\(proxy.httpsPort)/"])
        #expect(byIP.status == 200 && byIP.bodyText == "site c\n", "\(byIP.status) \(byIP.bodyText)")
    }

    @Test(arguments: [("404", 404), ("421", 421)])
    func unknownHostSettingIsHonoured(setting: String, status: Int) async throws {
        let proxy = try await ProxyUnderTest.start(
            ProxyConfigSpec(listeners: [.https(extra: ["unknown_host = \"\(setting)\""])], sites: Self.sites))
        defer { proxy.kill() }
        let byIP = try await Curl.run(["https://127.0.0.1:\(proxy.httpsPort)/"])
        #expect(byIP.status == status, "\(byIP.status) \(byIP.bodyText)")
        let unknown = try await Curl.https(host: "unknown.test", port: proxy.httpsPort)
        #expect(unknown.status == status)
        let known = try await Curl.https(host: "a.test", port: proxy.httpsPort)
        #expect(known.status == 200 && known.bodyText == "site a\n")
    }

    @Test func defaultSiteNamingNoSiteIsAConfigError() async throws {
        let spec = ProxyConfigSpec(listeners: [.https(extra: ["default_site = \"nope.test\""])], sites: Self.sites)
        let result = try await ProxyUnderTest.validate(configText: spec.render())
        #expect(result.exitCode == 1)
        #expect(result.output.contains("default_site: no site has the host \"nope.test\""), "\(result.output)")
    }
}
