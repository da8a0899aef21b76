import Foundation
import PortcullisConfig
import PortcullisTLS

/// One row of `certs list`; its JSON keys are the documented ones, exactly.
public struct CertificateStatusRow: Sendable, Codable, Equatable {
    public var name: String
    /// SAN DNS names.
    public var domains: [String]
    /// `user`, `self-signed` or `acme`.
    public var source: String
    public var subjectCN: String
    /// RFC 2253 issuer name.
    public var issuer: String
    /// `ec256`, `ec384`, `rsa2048`, `rsa3072`, `rsa4096` (the `--key-type` names), or `other`.
    public var keyType: String
    /// RFC 3339.
    public var notBefore: String
    /// RFC 3339.
    public var notAfter: String
    public var daysLeft: Int
    /// `CertificateStatus` raw value.
    public var status: String
    /// `site:<first host>` and `listener:<bind>` entries that serve it.
    public var deployed: [String]

    enum CodingKeys: String, CodingKey {
        case name, domains, source, issuer, status, deployed
        case subjectCN = "subject_cn"
        case keyType = "key_type"
        case notBefore = "not_before"
        case notAfter = "not_after"
        case daysLeft = "days_left"
    }
}

/// Builds the status table from the store and (optionally) the configuration that deploys it.
public enum CertificateStatusTable {
    /// Every certificate in the store, by name; certificates that cannot be read go to `errors`.
    public static func rows(
        store: CertificateStore, config: ProxyConfig?, now: Date = Date()
    ) -> (rows: [CertificateStatusRow], errors: [String]) {
        var rows: [CertificateStatusRow] = []
        var errors: [String] = []
        for name in store.names() {
            do {
                guard let certificate = try store.load(name: name) else { continue }
                rows.append(try self.row(certificate, config: config, now: now))
            } catch {
                errors.append("certificate \"\(name)\": \(error)")
            }
        }
        return (rows, errors)
    }

    /// The row for one stored certificate (also checks that its key matches).
    public static func row(_ certificate: StoredCertificate, config: ProxyConfig?, now: Date) throws -> CertificateStatusRow {
        let facts = try StoredCertificateCheck.check(certificate)
        let summary = facts.summary
        let sites = config?.sites.filter { $0.certificateName == certificate.name } ?? []
        var status = CertificateStatus.evaluate(
            notBefore: summary.notBefore, notAfter: summary.notAfter, dnsNames: summary.dnsNames,
            metadata: certificate.metadata, siteHosts: sites.flatMap(\.hosts),
            warningDays: config?.tls.expiryWarningDays ?? 14, now: now)
        // A failed ACME attempt outranks everything but expiry: the operator must act.
        if certificate.metadata.source == .acme, status != .expired, let stateDir = config?.server.stateDir,
            ACMEOrderStatus.load(stateDir: stateDir, name: certificate.name)?.isFailed == true
        {
            status = .failed
        }
        return CertificateStatusRow(
            name: certificate.name, domains: summary.dnsNames, source: certificate.metadata.source.rawValue,
            subjectCN: summary.commonName, issuer: facts.issuer, keyType: summary.keyType?.rawValue ?? "other",
            notBefore: CertificateClock.rfc3339(summary.notBefore), notAfter: CertificateClock.rfc3339(summary.notAfter),
            daysLeft: CertificateClock.daysLeft(until: summary.notAfter, now: now), status: status.rawValue,
            deployed: self.deployments(of: certificate.name, config: config))
    }

    /// `site:<first host>` for each site and `listener:<bind>` for each listener default using `name`.
    public static func deployments(of name: String, config: ProxyConfig?) -> [String] {
        guard let config else { return [] }
        let sites = config.sites.filter { $0.certificateName == name }.map { "site:" + ($0.hosts.first ?? "") }
        let listeners = config.listeners.filter { $0.tls && $0.defaultCertificate == name }.map {
            "listener:" + $0.bind.description
        }
        return sites + listeners
    }

    /// Pretty JSON array with a final newline.
    public static func json(_ rows: [CertificateStatusRow]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(rows), as: UTF8.self) + "\n"
    }

    /// An aligned text table with a header.
    public static func text(_ rows: [CertificateStatusRow]) -> String {
        let header = ["NAME", "DOMAINS", "SOURCE", "SUBJECT CN", "ISSUER", "KEY", "ISSUED", "EXPIRES", "DAYS", "STATUS", "DEPLOYED"]
        let cells = rows.map { row in
            [
                row.name, row.domains.joined(separator: ","), row.source, row.subjectCN, row.issuer,
                KeyType(rawValue: row.keyType)?.displayName ?? row.keyType, String(row.notBefore.prefix(10)),
                String(row.notAfter.prefix(10)), String(row.daysLeft), row.status,
                row.deployed.isEmpty ? "-" : row.deployed.joined(separator: ","),
            ]
        }
        let widths = header.indices.map { column in ([header] + cells).map { $0[column].count }.max() ?? 0 }
        return ([header] + cells).map { line in
            zip(line, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n") + "\n"
    }
}
