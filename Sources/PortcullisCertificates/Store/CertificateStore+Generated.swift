import Foundation

/// Certificates Portcullis makes itself: self-signed ones, and placeholders for pending ACME orders.
public enum GeneratedCertificateKind: Sendable {
    /// `certificate = "self-signed"`.
    case selfSigned
    /// `certificate = "acme"` before the first issuance: self-signed, marked pending.
    case acmePlaceholder
}

extension CertificateStore {
    /// The self-signed certificate `name` for `domains`: the stored one if it matches, else a new one
    /// (generated and saved). Never replaces an imported or issued certificate: that one is returned as is.
    public func ensureSelfSigned(name: String, domains: [String]) throws -> StoredCertificate {
        let (certificate, needsSave) = try self.prepareGenerated(name: name, domains: domains, kind: .selfSigned)
        if needsSave { try self.save(certificate) }
        return certificate
    }

    /// What `ensureSelfSigned` (or the ACME placeholder variant) would serve, without writing anything:
    /// the certificate, and whether it is new and must be saved.
    /// - Regenerates a generated certificate whose domains differ, that expires within 30 days, or that
    ///   is of the other generated kind (self-signed ↔ pending placeholder).
    /// - Keeps `user` certificates and issued `acme` certificates untouched.
    public func prepareGenerated(
        name: String, domains: [String], kind: GeneratedCertificateKind, now: Date = Date()
    ) throws -> (certificate: StoredCertificate, needsSave: Bool) {
        guard !name.isEmpty else { throw CertificateStoreError.invalidName(name) }
        if let existing = try self.load(name: name),
            Self.keeps(existing, domains: domains, kind: kind, now: now)
        {
            return (existing, false)
        }
        let (chain, key) = try SelfSignedGenerator.generate(domains: domains)
        let metadata = CertificateMetadata(
            source: kind == .selfSigned ? .selfSigned : .acme, domains: domains,
            created: Self.timestamp(now), pending: kind == .acmePlaceholder ? true : nil)
        return (StoredCertificate(name: name, chainPEM: chain, keyPEM: key, metadata: metadata), true)
    }

    /// Whether `existing` may be served instead of generating a new certificate.
    private static func keeps(
        _ existing: StoredCertificate, domains: [String], kind: GeneratedCertificateKind, now: Date
    ) -> Bool {
        let metadata = existing.metadata
        let generatedKind: GeneratedCertificateKind
        switch metadata.source {
        case .user: return true
        case .acme where !metadata.isPending: return true
        case .acme: generatedKind = .acmePlaceholder
        case .selfSigned: generatedKind = .selfSigned
        }
        guard generatedKind == kind, metadata.domains == domains else { return false }
        // Renew generated certificates well before they expire; an unreadable one is replaced too.
        guard let summary = try? CertificateSummary(chainPEM: existing.chainPEM) else { return false }
        return summary.notAfter > now.addingTimeInterval(30 * 86_400)
    }

    /// RFC 3339 UTC with seconds, as `meta.json` stores times.
    static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}
