import Foundation
import TestSupport
import Testing

/// HSTS from the policy: a site naming a Mozilla preset gets its max-age=63072000, a custom policy's
/// `hsts` applies, the site's own `hsts` wins, and policies without HSTS (ELB, the implicit default)
/// add none.
@Suite struct PolicyHSTSTests {
    @Test func hstsFollowsTheSitePolicy() async throws {
        let custom = [
            "[[policy]]", "name = \"short-hsts\"", "base = \"ELBSecurityPolicy-TLS13-1-2-2021-06\"",
            "hsts = \"max-age=600\"",
        ]
        let proxy = try await ProxyUnderTest.start(
            ProxyConfigSpec(
                listeners: [.https()],
                sites: [
                    SiteSpec(hosts: ["moz.test"], respond: "m\n", extra: ["policy = \"mozilla-intermediate@5.7\""]),
                    SiteSpec(
                        hosts: ["own.test"], respond: "o\n", hsts: "max-age=10",
                        extra: ["policy = \"mozilla-modern@5.7\""]),
                    SiteSpec(
                        hosts: ["elb.test"], respond: "e\n", extra: ["policy = \"ELBSecurityPolicy-TLS13-1-2-2021-06\""]
                    ),
                    SiteSpec(hosts: ["plain.test"], respond: "p\n"),
                    SiteSpec(hosts: ["custom.test"], respond: "c\n", extra: ["policy = \"short-hsts\""] + custom),
                ]))
        defer { proxy.kill() }
        let expected: [(String, String?)] = [
            ("moz.test", "max-age=63072000"), ("own.test", "max-age=10"), ("elb.test", nil), ("plain.test", nil),
            ("custom.test", "max-age=600"),
        ]
        for (host, hsts) in expected {
            let response = try await Curl.https(host: host, port: proxy.httpsPort)
            #expect(response.status == 200, "\(host)")
            #expect(response.header("strict-transport-security") == hsts, "\(host)")
        }
    }
}
