import Foundation
import TestSupport
import Testing

/// `portcullis policies list`, `show` and `diff`.
@Suite struct PoliciesCLITests {
    static func run(_ arguments: [String]) async throws -> (Int32, String) {
        let result = try await ChildProcess.run(try ProxyUnderTest.binary(), ["policies"] + arguments, within: 20)
        return (result.exitCode, String(decoding: result.stdout, as: UTF8.self) + result.stderr)
    }

    @Test func listShowsEveryPresetWithItsStatus() async throws {
        let (code, output) = try await Self.run(["list"])
        #expect(code == 0)
        let lines = output.split(separator: "\n").map(String.init)
        for name in (ExpectedPolicies.elbTLS13 + ExpectedPolicies.elbOlder).map(\.name) {
            #expect(lines.contains { $0.hasPrefix(name + " ") && $0.hasSuffix(" ok") }, "\(name)")
        }
        for refused in [
            "mozilla-modern@6.0", "mozilla-intermediate@6.0", "mozilla-old@5.8", "mozilla-old@5.7",
            "ELBSecurityPolicy-TLS-1-0-2015-04",
        ] {
            #expect(lines.contains { $0.hasPrefix(refused + " ") && $0.hasSuffix(" refused") }, "\(refused)")
        }
        #expect(
            lines.contains {
                $0.hasPrefix("mozilla-intermediate -> mozilla-intermediate@6.0") && $0.hasSuffix(" degraded")
            })
    }

    @Test func showListsCiphersInOrder() async throws {
        let (code, output) = try await Self.run(["show", "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06"])
        #expect(code == 0)
        let numbered = ExpectedPolicies.elbTLS13[3].ciphers.enumerated().map { "  \($0.offset + 1). \($0.element)" }
        #expect(output.contains(numbered.joined(separator: "\n")), "\(output)")
        #expect(output.contains("versions: TLSv1.2, TLSv1.3") && output.contains("cipher order: server"))
        let refused = try await Self.run(["show", "mozilla-modern@6.0"])
        #expect(refused.0 == 0 && refused.1.contains("refused") && refused.1.contains("X25519MLKEM768"))
    }

    @Test func diffNamesTheDifferences() async throws {
        let (code, output) = try await Self.run([
            "diff", "ELBSecurityPolicy-TLS13-1-2-Res-2021-06", "ELBSecurityPolicy-TLS13-1-2-2021-06",
        ])
        #expect(code == 0)
        for cipher in ExpectedPolicies.s4 { #expect(output.contains("+ tls 1.2 cipher \(cipher)"), "\(output)") }
        #expect(!output.contains("- tls 1.2 cipher"))
        let versions = try await Self.run(["diff", "mozilla-modern@5.7", "mozilla-intermediate@5.7"])
        #expect(versions.1.contains("versions: TLSv1.3 -> TLSv1.2, TLSv1.3"), "\(versions.1)")
        #expect(try await Self.run(["show", "no-such-policy"]).0 != 0)
    }
}
