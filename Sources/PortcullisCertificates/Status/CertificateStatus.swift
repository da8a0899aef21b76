import Foundation

/// A certificate's state in the status table (docs/REFERENCE.md, certificate store).
public enum CertificateStatus: String, Sendable, Codable, CaseIterable {
    case valid, expiring, expired
    case notYetValid = "not-yet-valid"
    case nameMismatch = "name-mismatch"
    case chainIncomplete = "chain-incomplete"
    /// ACME order in progress (placeholder served).
    case pending
    /// Last ACME attempt failed.
    case failed
    /// The files in the store are damaged; the running proxy serves its last good version (shown
    /// by the control plane only: the CLI cannot read the damaged files and reports them as errors).
    case quarantined

    /// The status of one certificate, most urgent first: validity, then names, then chain, then expiry.
    /// - Parameter siteHosts: every host of every site that serves this certificate.
    public static func evaluate(
        notBefore: Date, notAfter: Date, dnsNames: [String], metadata: CertificateMetadata, siteHosts: [String],
        warningDays: Int, now: Date
    ) -> CertificateStatus {
        if metadata.source == .acme && metadata.isPending { return .pending }
        if notAfter < now { return .expired }
        if notBefore > now { return .notYetValid }
        if siteHosts.contains(where: { !HostCoverage.covers(dnsNames, host: $0) }) { return .nameMismatch }
        if metadata.chainIncomplete == true { return .chainIncomplete }
        if notAfter < now.addingTimeInterval(Double(warningDays) * 86_400) { return .expiring }
        return .valid
    }
}

/// Whether a certificate's DNS names cover a site host, with TLS wildcard rules.
public enum HostCoverage {
    /// `host` is covered by an equal name, or (for a plain host) by `*.parent` where the host is one
    /// label above `parent`. A wildcard host is covered only by the same wildcard.
    public static func covers(_ dnsNames: [String], host: String) -> Bool {
        let host = host.lowercased()
        let names = dnsNames.map { $0.lowercased() }
        if names.contains(host) { return true }
        guard !host.hasPrefix("*."), let dot = host.firstIndex(of: "."), dot != host.startIndex else { return false }
        return names.contains("*" + host[dot...])
    }

    /// The wildcard names among `dnsNames`.
    public static func wildcards(_ dnsNames: [String]) -> [String] {
        dnsNames.filter { $0.hasPrefix("*.") }
    }
}
