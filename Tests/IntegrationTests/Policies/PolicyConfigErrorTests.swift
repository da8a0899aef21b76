import Foundation
import TestSupport
import Testing

/// Config errors for policies name the file, line, key and the offending name; presets this OpenSSL
/// cannot honour are refused unless `allow_degraded` is set.
@Suite struct PolicyConfigErrorTests {
    static func config(policy: [String], sitePolicy: String = "custom") -> String {
        ([
            "[server]", "state_dir = \"state\"", "[[listener]]", "bind = \"127.0.0.1:0\"", "tls = true",
            "[[site]]", "hosts = [\"a.test\"]", "respond = \"a\"", "policy = \(toml(sitePolicy))", "[[policy]]",
            "name = \"custom\"",
        ] + policy).joined(separator: "\n") + "\n"
    }

    @Test(arguments: [
        ("ciphers = [\"ECDHE-ECDSA-AES128-GCM-SHA256\", \"NOT-A-CIPHER\"]", "ciphers", "NOT-A-CIPHER"),
        ("ciphersuites = [\"TLS_AES_128_GCM_SHA256\", \"TLS_FAKE_SUITE\"]", "ciphersuites", "TLS_FAKE_SUITE"),
        ("groups = [\"X25519\", \"curve9999\"]", "groups", "curve9999"),
        ("base = \"mozilla-ultra\"", "base", "mozilla-ultra"),
        ("base = \"mozilla-intermediate@6.0\"", "base", "X25519MLKEM768"),
    ])
    func unknownNamesAreLocatedErrors(line: String, key: String, name: String) async throws {
        let result = try await ProxyUnderTest.validate(configText: Self.config(policy: [line]))
        #expect(result.exitCode == 1, "\(result.output)")
        #expect(result.output.contains("\(result.configPath):12: [[policy]].\(key): "), "\(result.output)")
        #expect(result.output.contains(name), "\(result.output)")
    }

    @Test func unknownPolicyNameOnASite() async throws {
        let result = try await ProxyUnderTest.validate(
            configText: Self.config(policy: [], sitePolicy: "ELBSecurityPolicy-2099"))
        #expect(result.exitCode == 1)
        #expect(
            result.output.contains(
                "\(result.configPath):9: [[site]].policy: unknown security policy \"ELBSecurityPolicy-2099\""))
    }

    @Test func degradedPresetNeedsAllowDegraded() async throws {
        let refused = try await ProxyUnderTest.validate(
            configText: Self.config(policy: [], sitePolicy: "mozilla-modern@6.0"))
        #expect(refused.exitCode == 1)
        #expect(
            refused.output.contains("X25519MLKEM768") && refused.output.contains("allow_degraded"), "\(refused.output)")
        let allowed = try await ProxyUnderTest.validate(
            configText: Self.config(policy: ["base = \"mozilla-modern@6.0\"", "allow_degraded = true"]))
        #expect(allowed.exitCode == 0, "\(allowed.output)")
    }

    @Test func rsaOnlyCertificateUnderAnECDSAOnlyPolicy() async throws {
        let text = Self.config(policy: [
            "base = \"ELBSecurityPolicy-FS-1-2-Res-2020-10\"", "ciphers = [\"ECDHE-ECDSA-AES128-GCM-SHA256\"]",
        ]).replacingOccurrences(of: "respond = \"a\"", with: "respond = \"a\"\nkey_types = [\"rsa2048\"]")
        let result = try await ProxyUnderTest.validate(configText: text)
        #expect(result.exitCode == 1)
        #expect(
            result.output.contains("[[site]].certificate: the certificate key type (RSA) cannot serve"),
            "\(result.output)")
    }
}
