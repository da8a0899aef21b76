import Foundation
import TestSupport
import Testing

/// Every preset this OpenSSL can honour, on a listener of its own (listener policy), against one site
/// with an ECDSA and an RSA certificate so every cipher of the policy can be negotiated: each version
/// in the policy succeeds and every other fails, each TLS 1.2 cipher succeeds and a sample outside it
/// fails, the TLS 1.3 suites match, and the server's order wins where the policy says so.
@Suite struct PresetConformanceTests {
    static let groups: [(String, [ExpectedPolicy])] = [
        ("mozilla", ExpectedPolicies.mozilla),
        ("elb-tls13", ExpectedPolicies.elbTLS13),
        ("elb-older", ExpectedPolicies.elbOlder),
    ]

    @Test(arguments: [0, 1, 2])
    func presetsBehaveAsTheirTables(group: Int) async throws {
        let (_, policies) = Self.groups[group]
        let listeners = policies.map { ListenerSpec.https(extra: ["policy = \(toml($0.name))"]) }
        let site = SiteSpec(
            hosts: ["p.test"], respond: "p\n",
            extra: ["key_types = [\"ec256\", \"rsa2048\"]"] + ExpectedPolicies.mozillaCustom)
        let proxy = try await ProxyUnderTest.start(ProxyConfigSpec(listeners: listeners, sites: [site]))
        defer { proxy.kill() }
        let ports = try #require(proxy.ready).listeners.map(\.port)
        for (policy, port) in zip(policies, ports) {
            try await PolicyConformance.verify(policy, port: port, sni: "p.test")
        }
    }
}
