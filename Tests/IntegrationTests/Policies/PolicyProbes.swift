import Foundation
import TestSupport
import Testing

/// What one `openssl s_client` handshake negotiated; `cipher` is nil when the handshake failed.
struct ProbeOutcome: Sendable {
    var protocolName: String?
    var cipher: String?
    var output: String
    var accepted: Bool { self.cipher != nil }
}

/// Runs `openssl s_client` handshakes (stdin closed, so each ends after the handshake), several at a time.
enum PolicyProbes {
    static func handshake(port: UInt16, sni: String, _ arguments: [String]) async throws -> ProbeOutcome {
        // An empty `sni` leaves the name to `arguments` (one probe list across several sites).
        let args =
            ["s_client", "-connect", "127.0.0.1:\(port)"] + (sni.isEmpty ? [] : ["-servername", sni]) + arguments
        let result = try await ChildProcess.run("openssl", args, within: 20)
        let output = String(decoding: result.stdout, as: UTF8.self)
        guard
            let line = output.split(separator: "\n").first(where: { $0.hasPrefix("New, ") || $0.hasPrefix("Reused, ") })
        else { return ProbeOutcome(output: output) }
        let fields = line.components(separatedBy: ", ")
        let cipher = fields.count > 2 ? fields[2].replacingOccurrences(of: "Cipher is ", with: "") : "(NONE)"
        guard cipher != "(NONE)" else { return ProbeOutcome(output: output) }
        return ProbeOutcome(protocolName: fields[1], cipher: cipher, output: output)
    }

    /// Every probe, `concurrency` at a time; outcomes in input order.
    static func run(port: UInt16, sni: String, _ probes: [[String]], concurrency: Int = 4) async throws
        -> [ProbeOutcome]
    {
        try await withThrowingTaskGroup(of: (Int, ProbeOutcome).self) { group in
            var outcomes = [ProbeOutcome?](repeating: nil, count: probes.count)
            var next = 0
            while next < min(concurrency, probes.count) {
                let index = next
                group.addTask { (index, try await self.handshake(port: port, sni: sni, probes[index])) }
                next += 1
            }
            while let (index, outcome) = try await group.next() {
                outcomes[index] = outcome
                if next < probes.count {
                    let index = next
                    group.addTask { (index, try await self.handshake(port: port, sni: sni, probes[index])) }
                    next += 1
                }
            }
            return outcomes.map { $0! }
        }
    }

    /// One protocol version; the client allows everything (security level 0) so only the server decides.
    static func version(_ version: String) -> [String] {
        switch version {
        case "1.0": return ["-tls1", "-cipher", "ALL:@SECLEVEL=0"]
        case "1.1": return ["-tls1_1", "-cipher", "ALL:@SECLEVEL=0"]
        case "1.2": return ["-tls1_2", "-cipher", "ALL:@SECLEVEL=0"]
        default: return ["-tls1_3"]
        }
    }

    /// TLS 1.2 offering exactly `ciphers`, in this order.
    static func tls12(_ ciphers: [String]) -> [String] {
        ["-tls1_2", "-cipher", ciphers.joined(separator: ":") + ":@SECLEVEL=0"]
    }

    /// TLS 1.3 offering exactly `suites`, in this order.
    static func tls13(_ suites: [String]) -> [String] {
        ["-tls1_3", "-ciphersuites", suites.joined(separator: ":")]
    }
}

/// Checks one endpoint against an expected policy, one version, cipher and suite at a time.
enum PolicyConformance {
    static func verify(_ policy: ExpectedPolicy, port: UInt16, sni: String) async throws {
        let versions = ["1.0", "1.1", "1.2", "1.3"]
        let outside = policy.tls12 ? ExpectedPolicies.outsideSample.filter { !policy.ciphers.contains($0) } : []
        let inside = policy.tls12 ? policy.ciphers : []
        let suites = ExpectedPolicies.tls13Suites + ["TLS_AES_128_CCM_SHA256"]
        let probes =
            versions.map(PolicyProbes.version) + inside.map { PolicyProbes.tls12([$0]) }
            + outside.map { PolicyProbes.tls12([$0]) } + suites.map { PolicyProbes.tls13([$0]) }
        let outcomes = try await PolicyProbes.run(port: port, sni: sni, probes)
        var rest = outcomes[...]
        for version in versions {
            let outcome = rest.removeFirst()
            #expect(outcome.accepted == policy.versions.contains(version), "\(policy): TLS \(version)")
        }
        for cipher in inside {
            let outcome = rest.removeFirst()
            #expect(outcome.cipher == cipher, "\(policy): \(cipher) must be accepted")
            if cipher.hasPrefix("DHE-") {
                #expect(outcome.output.contains("Server Temp Key: DH, \(policy.dhBits) bits"), "\(policy): DH group")
            }
        }
        for cipher in outside {
            #expect(!rest.removeFirst().accepted, "\(policy): \(cipher) is outside the policy")
        }
        for suite in suites {
            let expected = policy.tls13 && ExpectedPolicies.tls13Suites.contains(suite)
            #expect(rest.removeFirst().accepted == expected, "\(policy): \(suite)")
        }
        try await self.verifyPreference(policy, port: port, sni: sni)
    }

    /// Offers two entries in reverse policy order: the server's order must win when the policy says so.
    static func verifyPreference(_ policy: ExpectedPolicy, port: UInt16, sni: String) async throws {
        let ecdsa = policy.ciphers.filter { $0.contains("-ECDSA-") }
        let (first, last, flags): (String, String, [String])
        if policy.tls12, ecdsa.count >= 2 {
            (first, last) = (ecdsa[0], ecdsa[ecdsa.count - 1])
            flags = PolicyProbes.tls12([last, first])
        } else if policy.tls13 {
            (first, last) = (ExpectedPolicies.tls13Suites[0], ExpectedPolicies.tls13Suites[2])
            flags = PolicyProbes.tls13([last, first])
        } else {
            return
        }
        let outcome = try await PolicyProbes.handshake(port: port, sni: sni, flags)
        #expect(
            outcome.cipher == (policy.serverPreference ? first : last),
            "\(policy): offered \(last):\(first), \(policy.serverPreference ? "server" : "client") order must win")
    }
}
