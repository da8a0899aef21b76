internal import COpenSSL
internal import CShims
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

    /// The chain and key a live context serves, as a `user` certificate (so it is served as is).
    static func extract(_ context: SiteTLSContext, name: String) -> StoredCertificate? {
        let ctx = context.ctx
        guard let leaf = SSL_CTX_get0_certificate(ctx), let pkey = SSL_CTX_get0_privatekey(ctx) else { return nil }
        var pem = ""
        var stack: OpaquePointer? = nil
        // SSL_CTX_get0_chain_certs is a macro over SSL_CTX_ctrl (get0: the stack stays the context's).
        _ = withUnsafeMutablePointer(to: &stack) { SSL_CTX_ctrl(ctx, SSL_CTRL_GET_CHAIN_CERTS, 0, $0) }
        var certificates = [leaf]
        if let stack {
            for index in 0..<pc_sk_X509_num(stack) {
                if let x509 = pc_sk_X509_value(stack, index) { certificates.append(x509) }
            }
        }
        for x509 in certificates {
            X509_up_ref(x509)
            guard let text = try? X509Certificate(takingOwnership: x509).pem() else { return nil }
            pem += text
        }
        EVP_PKEY_up_ref(pkey)
        guard let key = try? PrivateKey(takingOwnership: pkey).pem() else { return nil }
        let metadata = CertificateMetadata(source: .user, domains: [], created: "")
        return StoredCertificate(name: name, chainPEM: pem, keyPEM: key, metadata: metadata)
    }
}
