import ArgumentParser
import Foundation
import PortcullisTLS

/// `portcullis policies check HOST:PORT --sni NAME --policy P`: probes a live endpoint with
/// `openssl s_client`, one version, TLS 1.2 cipher and TLS 1.3 suite at a time, and reports every
/// deviation from the policy. Exits 1 when there is one.
struct PoliciesCheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Probe HOST:PORT and report deviations from a policy.")

    @Argument(help: "Endpoint to probe, HOST:PORT.")
    var endpoint: String
    @Option(name: .long, help: "SNI to send (default: none).")
    var sni: String?
    @Option(name: .long, help: "The policy the endpoint should follow.")
    var policy: String
    @Option(name: .long, help: "Handshakes to run at once.")
    var concurrency = 8
    @Flag(name: .long, help: "Print the report as JSON.")
    var json = false
    @OptionGroup var source: PolicySource

    func run() throws {
        guard let colon = self.endpoint.lastIndex(of: ":"),
            let port = Int(self.endpoint[self.endpoint.index(after: colon)...])
        else { throw ValidationError("expected HOST:PORT, found \"\(self.endpoint)\"") }
        let host = String(self.endpoint[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        let expected = try self.source.describe(self.policy).policy
        let probe = PolicyProbe(host: host, port: port, serverName: self.sni, concurrency: max(1, self.concurrency))
        let report = PolicyCheck(policy: expected, probe: probe).run()
        if self.json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(report.text(endpoint: self.endpoint, sni: self.sni), terminator: "")
        }
        if report.deviations > 0 { throw ExitCode(1) }
    }
}

/// The outcome of a check: one row per probe, plus notes that are not deviations.
struct PolicyCheckReport: Codable, Sendable {
    struct Row: Codable, Sendable {
        /// "version", "cipher", "suite" or "preference".
        var kind: String
        var name: String
        var expected: String
        var actual: String
        var ok: Bool
    }
    var policy: String
    var rows: [Row] = []
    var notes: [String] = []
    var deviations: Int { self.rows.filter { !$0.ok }.count }

    /// The human-readable report.
    func text(endpoint: String, sni: String?) -> String {
        var out = "checking \(endpoint)" + (sni.map { " (SNI \($0))" } ?? "") + " against \(self.policy)\n"
        for kind in ["version", "cipher", "suite", "preference"] {
            let rows = self.rows.filter { $0.kind == kind }
            guard !rows.isEmpty else { continue }
            let shown = kind == "cipher" ? rows.filter { $0.expected == "accepted" || !$0.ok } : rows
            out += "\(kind)s:\n"
            for row in shown {
                let verdict = row.ok ? "ok" : "DEVIATION (expected \(row.expected))"
                if kind == "preference" {
                    out += "  \(row.name), negotiated \(row.actual): \(verdict)\n"
                    continue
                }
                out +=
                    "  " + row.name.padding(toLength: 32, withPad: " ", startingAt: 0) + " "
                    + row.actual.padding(toLength: 10, withPad: " ", startingAt: 0) + " " + verdict + "\n"
            }
            if kind == "cipher" {
                let outside = rows.filter { $0.expected == "refused" }
                out +=
                    "  \(outside.count) ciphers outside the policy probed; "
                    + "\(outside.filter { !$0.ok }.count) accepted\n"
            }
        }
        for note in self.notes { out += "note: \(note)\n" }
        return out
            + (self.deviations == 0 ? "result: matches \(self.policy)\n" : "result: \(self.deviations) deviation(s)\n")
    }
}

/// Builds the probe list for a policy and judges the results.
struct PolicyCheck {
    let policy: SecurityPolicy
    let probe: PolicyProbe

    func run() -> PolicyCheckReport {
        var report = PolicyCheckReport(policy: self.policy.name)
        let versions = TLSProtocolVersion.allCases
        let ciphers =
            self.policy.allowsTLS12OrOlder && self.policy.maxVersion >= .tls1_2
            ? self.policy.ciphers
                + OpenSSLCapabilities.cipherNames.sorted().filter { !self.policy.ciphers.contains($0) }
            : []
        let suites = OpenSSLCapabilities.suiteNames.sorted { self.rank($0) < self.rank($1) }
        let results = self.probe.run(
            versions.map(PolicyProbe.versionFlags) + ciphers.map { PolicyProbe.cipherFlags([$0]) }
                + suites.map { PolicyProbe.suiteFlags([$0]) })
        for (version, result) in zip(versions, results) {
            report.add("version", version.openSSLName, expected: self.policy.versions.contains(version), result)
        }
        let cipherResults = Array(results[versions.count..<(versions.count + ciphers.count)])
        let servable = self.servableKinds(ciphers, cipherResults, notes: &report.notes)
        for (cipher, result) in zip(ciphers, cipherResults) {
            let inPolicy = self.policy.ciphers.contains(cipher)
            if inPolicy, !result.accepted, !servable.contains(where: { $0.canServe(cipher: cipher) }) { continue }
            report.add("cipher", cipher, expected: inPolicy, result)
        }
        for (suite, result) in zip(suites, results.suffix(suites.count)) {
            report.add(
                "suite", suite, expected: self.policy.allowsTLS13 && self.policy.ciphersuites.contains(suite), result)
        }
        self.checkPreference(
            accepted: zip(ciphers, cipherResults).filter { self.policy.ciphers.contains($0.0) && $0.1.accepted }.map(
                \.0),
            flags: PolicyProbe.cipherFlags, kind: "cipher", into: &report)
        if self.policy.allowsTLS13 {
            let acceptedSuites = zip(suites, results.suffix(suites.count)).filter { $0.1.accepted }.map(\.0)
            self.checkPreference(accepted: acceptedSuites, flags: PolicyProbe.suiteFlags, kind: "suite", into: &report)
        }
        return report
    }

    /// Position of a suite in the policy (unknown ones last).
    private func rank(_ suite: String) -> Int { self.policy.ciphersuites.firstIndex(of: suite) ?? 99 }

    /// Key types the endpoint evidently serves; policy ciphers for other key types are noted, not judged.
    private func servableKinds(_ ciphers: [String], _ results: [ProbeResult], notes: inout [String])
        -> [TLSKeyAlgorithm]
    {
        var kinds: [TLSKeyAlgorithm] = []
        for kind in [TLSKeyAlgorithm.ecdsa, .rsa] {
            let wanted = zip(ciphers, results).filter {
                self.policy.ciphers.contains($0.0) && kind.canServe(cipher: $0.0)
            }
            if wanted.contains(where: { $0.1.accepted }) {
                kinds.append(kind)
            } else if !wanted.isEmpty {
                notes.append(
                    "no \(kind.rawValue) certificate is served: \(wanted.count) \(kind.rawValue) cipher(s) "
                        + "of the policy cannot be negotiated"
                )
            }
        }
        return kinds
    }

    /// Offers the first and last accepted entries in reverse order: the server's order must win when the
    /// policy says so, the client's otherwise.
    private func checkPreference(
        accepted: [String], flags: ([String]) -> [String], kind: String, into report: inout PolicyCheckReport
    ) {
        var candidates = accepted
        if kind == "cipher", let first = accepted.first {
            // Same key type, so both are negotiable with the certificate the server picks.
            let sameKind = TLSKeyAlgorithm.allCases.first { $0.canServe(cipher: first) }
            candidates = accepted.filter { sameKind?.canServe(cipher: $0) ?? true }
        }
        guard candidates.count >= 2, let preferred = candidates.first, let later = candidates.last else { return }
        let result = self.probe.handshake(flags([later, preferred]))
        let expected = self.policy.serverPreference ? preferred : later
        report.rows.append(
            .init(
                kind: "preference", name: "\(kind): offered \(later):\(preferred)",
                expected: expected + (self.policy.serverPreference ? " (server order)" : " (client order)"),
                actual: result.cipher ?? "refused", ok: result.cipher == expected))
    }
}

extension PolicyCheckReport {
    /// Records one probe judged against `expected` acceptance.
    mutating func add(_ kind: String, _ name: String, expected: Bool, _ result: ProbeResult) {
        let actual = result.accepted ? "accepted" : "refused"
        self.rows.append(
            Row(
                kind: kind, name: name, expected: expected ? "accepted" : "refused", actual: actual,
                ok: expected == result.accepted))
    }
}
