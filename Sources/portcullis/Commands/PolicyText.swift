import Foundation
import PortcullisTLS

/// Plain-text rendering of policies for the `policies` commands.
enum PolicyText {
    /// "1.2–1.3" style range, "1.3" for one version.
    static func versions(_ policy: SecurityPolicy) -> String {
        policy.minVersion == policy.maxVersion ? "\(policy.minVersion)" : "\(policy.minVersion)-\(policy.maxVersion)"
    }

    /// The scalar fields as (label, value) pairs, in display order.
    static func fields(_ policy: SecurityPolicy) -> [(String, String)] {
        [
            ("source", policy.source),
            ("versions", policy.versions.map(\.openSSLName).joined(separator: ", ")),
            ("cipher order", policy.serverPreference ? "server" : "client"),
            ("groups", policy.groups.joined(separator: ", ")),
            ("sigalgs", policy.sigalgs.isEmpty ? "OpenSSL default" : policy.sigalgs.joined(separator: ", ")),
            (
                "session tickets",
                policy.sessionTickets
                    ? "on (one key ring for all workers, rotated per [tls] ticket_key_rotation)" : "off"
            ),
            ("dh parameters", policy.dhParameters.rawValue),
            ("security level", policy.securityLevel.map { "\($0)" } ?? "OpenSSL default"),
            ("hsts", policy.hsts ?? "none"),
            ("client auth", policy.clientAuth.rawValue + (policy.clientCAFile.map { " (CA file \($0))" } ?? "")),
            ("0-RTT", policy.earlyData ? "on" : "off"),
            ("always on", "no compression, no renegotiation, per-site session-ID context"),
        ]
    }

    /// Everything in the policy, ciphers and suites numbered in preference order.
    static func show(_ policy: SecurityPolicy, status: String) -> String {
        var out = "name: \(policy.name)\n"
        for (label, value) in self.fields(policy) { out += "\(label): \(value)\n" }
        out += "tls 1.2 ciphers:" + self.numbered(policy.allowsTLS12OrOlder ? policy.ciphers : [])
        out += "tls 1.3 suites:" + self.numbered(policy.allowsTLS13 ? policy.ciphersuites : [])
        return out + "openssl: \(status)\n"
    }

    private static func numbered(_ items: [String]) -> String {
        guard !items.isEmpty else { return " none\n" }
        return "\n" + items.enumerated().map { "  \($0.offset + 1). \($0.element)\n" }.joined()
    }

    /// One line per difference: changed fields, then list members only in one side, then order changes.
    static func diff(_ a: SecurityPolicy, _ b: SecurityPolicy) -> [String] {
        var lines: [String] = []
        for ((label, left), (_, right)) in zip(self.fields(a), self.fields(b)) where left != right && label != "source"
        {
            lines.append("\(label): \(left) -> \(right)")
        }
        let lists: [(String, [String], [String])] = [
            ("tls 1.2 cipher", a.allowsTLS12OrOlder ? a.ciphers : [], b.allowsTLS12OrOlder ? b.ciphers : []),
            ("tls 1.3 suite", a.allowsTLS13 ? a.ciphersuites : [], b.allowsTLS13 ? b.ciphersuites : []),
        ]
        for (label, left, right) in lists {
            for item in left where !right.contains(item) { lines.append("- \(label) \(item)") }
            for item in right where !left.contains(item) { lines.append("+ \(label) \(item)") }
            let common = left.filter(right.contains)
            if common != right.filter(left.contains) { lines.append("~ \(label) order differs for the shared entries") }
        }
        return lines
    }

    /// Left-aligned columns.
    static func table(_ rows: [[String]]) -> String {
        let widths = (0..<(rows.first?.count ?? 0)).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces) + "\n"
        }.joined()
    }
}
