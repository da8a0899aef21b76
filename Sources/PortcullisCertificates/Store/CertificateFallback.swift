import PortcullisTLS

/// What a running proxy serves when a certificate in the store turns out damaged or disappears: the
/// version in its current snapshot. Used by the store watcher, so that an invalid file dropped into the
/// store is logged and ignored while every other change still applies.
public final class CertificateFallback: Sendable {
    /// The last good version of a certificate, or nil if none is in service.
    let lastGood: @Sendable (String) -> StoredCertificate?
    /// Told why a certificate on disk was not used.
    let rejected: @Sendable (_ name: String, _ reason: String) -> Void
    /// Names whose files changed: only these are checked in full before use (nil: all). A file that
    /// cannot even be read falls back whatever the name.
    let suspects: Set<String>?

    /// A fallback from explicit closures.
    public init(
        suspects: Set<String>? = nil, lastGood: @escaping @Sendable (String) -> StoredCertificate?,
        rejected: @escaping @Sendable (_ name: String, _ reason: String) -> Void
    ) {
        self.suspects = suspects
        self.lastGood = lastGood
        self.rejected = rejected
    }

    /// Falls back to the certificates the snapshot in service was built from, by name (`cache`). By
    /// name, not by context: a dual-certificate site (ECDSA + RSA) has one context holding both, and
    /// reading "the" certificate back from it would hand the RSA pair to the ECDSA name.
    public convenience init(
        servedBy cache: SiteContextCache, suspects: Set<String>? = nil,
        rejected: @escaping @Sendable (_ name: String, _ reason: String) -> Void
    ) {
        self.init(suspects: suspects, lastGood: { name in cache.servedCertificate(name: name) }, rejected: rejected)
    }

    /// Whether `certificate` is exactly the version in service (already checked when it went in).
    func isLastGood(_ certificate: StoredCertificate) -> Bool {
        guard let good = self.lastGood(certificate.name) else { return false }
        return good.chainPEM == certificate.chainPEM && good.keyPEM == certificate.keyPEM
    }

    /// Whether `name` must be checked in full before use.
    func isSuspect(_ name: String) -> Bool { self.suspects?.contains(name) ?? true }

    /// Whether `context` serves exactly `certificate`'s chain and key (false when either is missing).
    public static func serves(_ context: SiteTLSContext?, sameAs certificate: StoredCertificate?) -> Bool {
        guard let context, let certificate, let live = self.extract(context, name: certificate.name) else { return false }
        return live.chainPEM == certificate.chainPEM && live.keyPEM == certificate.keyPEM
    }

    /// The chain and key a live context serves (its primary certificate), as a `user` certificate.
    static func extract(_ context: SiteTLSContext, name: String) -> StoredCertificate? {
        guard let served = context.servedPEM().first else { return nil }
        let metadata = CertificateMetadata(source: .user, domains: [], created: "")
        return StoredCertificate(name: name, chainPEM: served.chainPEM, keyPEM: served.keyPEM, metadata: metadata)
    }
}
