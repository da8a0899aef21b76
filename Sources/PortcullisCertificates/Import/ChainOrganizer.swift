internal import COpenSSL
import PortcullisTLS

/// Puts a certificate chain in order: the leaf (the certificate matching the key), then each issuer
/// in turn, found among the supplied certificates, then the CA bundle, then the system trust store.
/// Self-signed roots are not served. The chain is complete when it reaches a self-signed certificate
/// or one whose issuer is trusted (bundle or system store).
struct ChainOrganizer {
    /// The served chain, leaf first.
    var chain: [X509Certificate]
    /// False when an issuer could not be found anywhere: an intermediate is missing.
    var complete: Bool
    /// True when the supplied order differed from leaf-first issuer order.
    var reordered: Bool
    /// Supplied certificates that are not on the leaf's path.
    var unrelated: Int

    /// Orders `supplied` (leaf first is not required) starting at `leaf`.
    init(leaf: X509Certificate, supplied: [X509Certificate], caBundle: [X509Certificate], useSystemStore: Bool = true) {
        var pool = supplied.filter { !X509Facts.same($0, leaf) }
        var chain = [leaf]
        var complete = false
        var current = leaf
        var trusted = TrustedIssuers(bundle: caBundle, useSystemStore: useSystemStore)
        for _ in 0..<16 {
            if X509Facts.isSelfSigned(current) {
                complete = true
                break
            }
            if let index = pool.firstIndex(where: { X509Facts.issued($0, current) }) {
                let issuer = pool.remove(at: index)
                if X509Facts.isSelfSigned(issuer) {
                    complete = true
                    break
                }
                chain.append(issuer)
                current = issuer
                continue
            }
            guard let issuer = trusted.issuer(of: current) else { break }
            // An intermediate from the CA bundle is served; a root (self-signed) is not.
            if X509Facts.isSelfSigned(issuer) || trusted.isSystem(issuer) {
                complete = true
                break
            }
            chain.append(issuer)
            current = issuer
        }
        self.chain = chain
        self.complete = complete
        self.unrelated = pool.filter { !X509Facts.isSelfSigned($0) }.count
        let suppliedOrder = supplied.filter { candidate in chain.contains { X509Facts.same($0, candidate) } }
        self.reordered = !zip(suppliedOrder, chain).allSatisfy { X509Facts.same($0, $1) }
    }
}

/// Issuers from the CA bundle, then from the system trust store (loaded lazily).
private struct TrustedIssuers {
    let bundle: [X509Certificate]
    let useSystemStore: Bool
    private var systemIssuers: [X509Certificate] = []

    init(bundle: [X509Certificate], useSystemStore: Bool) {
        self.bundle = bundle
        self.useSystemStore = useSystemStore
    }

    /// The issuer of `certificate`, or nil.
    mutating func issuer(of certificate: X509Certificate) -> X509Certificate? {
        if let found = self.bundle.first(where: { X509Facts.issued($0, certificate) }) { return found }
        guard self.useSystemStore else { return nil }
        return self.systemIssuer(of: certificate)
    }

    /// Whether `certificate` came from the system store.
    func isSystem(_ certificate: X509Certificate) -> Bool {
        self.systemIssuers.contains { $0 === certificate }
    }

    /// Looks `certificate`'s issuer up in OpenSSL's default paths (`/etc/ssl/certs`).
    private mutating func systemIssuer(of certificate: X509Certificate) -> X509Certificate? {
        guard let store = SystemTrustStore.shared?.store, let context = X509_STORE_CTX_new() else { return nil }
        defer { X509_STORE_CTX_free(context) }
        var issuer: OpaquePointer? = nil
        let found = certificate.withUnsafePointer { x509 -> Bool in
            guard X509_STORE_CTX_init(context, store, x509, nil) == 1 else { return false }
            return X509_STORE_CTX_get1_issuer(&issuer, context, x509) == 1
        }
        ERR_clear_error()
        guard found, let issuer else { return nil }
        let wrapped = X509Certificate(takingOwnership: issuer)
        self.systemIssuers.append(wrapped)
        return wrapped
    }
}

/// The system trust store, read once per process: parsing the distribution's bundle (about 140 roots,
/// 200 KB of PEM) costs about 20 ms, which made every import pay it again (and the `pem` fuzz target
/// run at 4 inputs per second under AddressSanitizer). An `X509_STORE` locks its own lookups, so one
/// store serves every thread. A trust-store update is seen after a restart, like nginx's
/// `ssl_trusted_certificate`.
private final class SystemTrustStore: @unchecked Sendable {  // the store is read-only after init and locks itself
    static let shared = SystemTrustStore()
    let store: OpaquePointer

    private init?() {
        guard let store = X509_STORE_new() else { return nil }
        guard X509_STORE_set_default_paths(store) == 1 else {
            ERR_clear_error()
            X509_STORE_free(store)
            return nil
        }
        self.store = store
    }
}
