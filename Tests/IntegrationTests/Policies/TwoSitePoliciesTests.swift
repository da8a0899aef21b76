import Foundation
import TestSupport
import Testing

/// Two sites on one listener with different policies each behave exactly as their own policy says
/// (site policy overrides the listener's in the ClientHello callback), and `portcullis policies check`
/// run against the proxy reaches the same verdict as the probes.
@Suite struct TwoSitePoliciesTests {
    static let res = "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"

    @Test func modernAndRestrictedSitesOnOneListener() async throws {
        let dual = "key_types = [\"ec256\", \"rsa2048\"]"
        let proxy = try await ProxyUnderTest.start(
            ProxyConfigSpec(
                listeners: [.https()],
                sites: [
                    SiteSpec(hosts: ["modern.test"], respond: "m\n", extra: ["policy = \"mozilla-modern@5.7\"", dual]),
                    SiteSpec(hosts: ["res.test"], respond: "r\n", extra: ["policy = \(toml(Self.res))", dual]),
                ]))
        defer { proxy.kill() }
        let port = proxy.httpsPort

        // mozilla-modern@5.7: TLS 1.3 only.
        let modern = try await PolicyProbes.run(
            port: port, sni: "modern.test", ["1.0", "1.1", "1.2", "1.3"].map(PolicyProbes.version))
        #expect(modern.map(\.accepted) == [false, false, false, true], "modern.test refuses TLS 1.2 and older")

        // The Res policy: of every TLS 1.2 cipher this OpenSSL knows, exactly the four G4 ciphers.
        let all = try await Self.allTLS12Ciphers()
        let outcomes = try await PolicyProbes.run(port: port, sni: "res.test", all.map { PolicyProbes.tls12([$0]) })
        let accepted = Set(zip(all, outcomes).filter { $0.1.accepted }.map(\.0))
        #expect(accepted == Set(ExpectedPolicies.g4), "res.test accepts exactly G4 out of \(all.count) ciphers")
        let tls13 = try await PolicyProbes.handshake(port: port, sni: "res.test", PolicyProbes.version("1.3"))
        #expect(tls13.accepted)

        // The CLI agrees.
        let check = try await ChildProcess.run(
            try ProxyUnderTest.binary(),
            ["policies", "check", "127.0.0.1:\(port)", "--sni", "res.test", "--policy", Self.res, "--json"], within: 90)
        #expect(check.exitCode == 0, "policies check reports no deviation: \(check.stderr)")
        let report = try JSONDecoder().decode(CheckReport.self, from: Data(check.stdout))
        let cliAccepted = Set(report.rows.filter { $0.kind == "cipher" && $0.actual == "accepted" }.map(\.name))
        #expect(cliAccepted == accepted)
        #expect(report.rows.allSatisfy { $0.ok })
    }

    /// A listener's policy is the default for its sites; a site's own policy overrides it, and the same
    /// site follows each listener's policy on each listener.
    @Test func sitePolicyOverridesListenerPolicy() async throws {
        let proxy = try await ProxyUnderTest.start(
            ProxyConfigSpec(
                listeners: [.https(extra: ["policy = \"ELBSecurityPolicy-FS-1-2-Res-2020-10\""]), .https()],
                sites: [
                    .respond(["follows.test"], "f\n"),
                    SiteSpec(hosts: ["own.test"], respond: "o\n", extra: ["policy = \"mozilla-modern@5.7\""]),
                ]))
        defer { proxy.kill() }
        let ports = try #require(proxy.ready).listeners.map(\.port)
        let cases: [(UInt16, String, String, Bool)] = [
            (ports[0], "follows.test", "1.2", true), (ports[0], "follows.test", "1.3", false),
            (ports[0], "own.test", "1.2", false), (ports[0], "own.test", "1.3", true),
            (ports[1], "follows.test", "1.3", true), (ports[1], "own.test", "1.2", false),
        ]
        for (port, host, version, accepted) in cases {
            let outcome = try await PolicyProbes.handshake(port: port, sni: host, PolicyProbes.version(version))
            #expect(outcome.accepted == accepted, "\(host) TLS \(version) on listener port \(port)")
        }
        // The default policy (the mozilla-intermediate alias) lacks X25519MLKEM768 here: logged once.
        let degraded = proxy.logs.components(separatedBy: "security policy degraded").count - 1
        #expect(degraded == 1 && proxy.logs.contains("X25519MLKEM768"), "\(proxy.logs.suffix(600))")
    }

    /// `openssl ciphers ALL:COMPLEMENTOFALL` at security level 0, without the TLS 1.3 suites.
    static func allTLS12Ciphers() async throws -> [String] {
        let result = try await ChildProcess.run("openssl", ["ciphers", "ALL:COMPLEMENTOFALL:@SECLEVEL=0"])
        return String(decoding: result.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            .split(separator: ":").map(String.init).filter { !$0.hasPrefix("TLS_") }
    }
}

/// The JSON of `portcullis policies check --json`.
struct CheckReport: Decodable {
    struct Row: Decodable {
        var kind: String
        var name: String
        var expected: String
        var actual: String
        var ok: Bool
    }
    var policy: String
    var rows: [Row]
}
