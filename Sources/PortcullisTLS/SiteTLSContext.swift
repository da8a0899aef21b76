internal import COpenSSL

/// What one site serves: its certificates (one per key type, shared `CertifiedKey`s), the policy
/// context it enforces, and a session-ID context of its own so that a session from another site never
/// resumes here. Holds no `SSL_CTX` of its own, so 100,000 sites cost 100,000 small objects, not
/// 100,000 contexts (docs/CERTIFICATES-AT-SCALE.md). Immutable.
public final class SiteTLSContext: Sendable {
    /// Interned certificate name (`CertificateRegistry`), recorded on each connection that selects this site.
    public let certificateID: Int
    /// The policy enforced (shared with every site under the same policy).
    public let policyContext: PolicyContext
    /// The certificates installed on each connection, one per key type.
    public let certifiedKeys: [CertifiedKey]
    /// SHA-256 of the site's session-ID context string (`SSL_MAX_SID_CTX_LENGTH` bytes), set per connection.
    private let sessionIDContext: [UInt8]

    /// The key algorithms of the installed certificates (one certificate per algorithm).
    public var keyAlgorithms: Set<TLSKeyAlgorithm> { Set(self.certifiedKeys.map(\.algorithm)) }
    /// Contexts of the same site under another listener's policy, by listener index (sites without a
    /// policy of their own follow the listener's).
    let listenerVariants: [Int: SiteTLSContext]

    /// What the ClientHello callback applies when it switches a connection to this site's policy.
    var policy: PreparedPolicy { self.policyContext.policy }

    /// Builds a site with a policy context of its own; fails if the PEM cannot be read, the key does
    /// not match the leaf certificate, or OpenSSL refuses the policy.
    /// - Parameter sessionIDContext: any string unique to the site (hashed to OpenSSL's 32-byte limit).
    public convenience init(
        chainPEM: String, keyPEM: String, certificateID: Int, sessionIDContext: String, policy: TLSPolicySettings
    ) throws(TLSError) {
        try self.init(
            certificates: [(chainPEM, keyPEM)], certificateID: certificateID, sessionIDContext: sessionIDContext,
            policy: policy)
    }

    /// A site serving several certificates of different key types (ECDSA and RSA, as nginx and
    /// HAProxy do): OpenSSL picks per handshake from the client's signature algorithms and ciphers.
    public convenience init(
        certificates: [(chainPEM: String, keyPEM: String)], certificateID: Int, sessionIDContext: String,
        policy: TLSPolicySettings, listenerVariants: [Int: SiteTLSContext] = [:]
    ) throws(TLSError) {
        var keys: [CertifiedKey] = []
        for (chainPEM, keyPEM) in certificates { keys.append(try CertifiedKey(chainPEM: chainPEM, keyPEM: keyPEM)) }
        try self.init(
            keys: keys, certificateID: certificateID, sessionIDContext: sessionIDContext,
            policy: try PolicyContext(settings: policy), listenerVariants: listenerVariants)
    }

    /// A site from shared parts: parsed certificates and a policy context. Fails without a certificate
    /// or with two of the same key type.
    public init(
        keys: [CertifiedKey], certificateID: Int, sessionIDContext: String, policy: PolicyContext,
        listenerVariants: [Int: SiteTLSContext] = [:]
    ) throws(TLSError) {
        guard !keys.isEmpty else { throw TLSError("building a TLS context: no certificate given") }
        var algorithms = Set<TLSKeyAlgorithm>()
        for key in keys where !algorithms.insert(key.algorithm).inserted {
            throw TLSError("two certificates with \(key.algorithm.rawValue) keys; a site serves one per key type")
        }
        self.sessionIDContext = try Self.digest(sessionIDContext)
        self.certificateID = certificateID
        self.policyContext = policy
        self.certifiedKeys = keys
        self.listenerVariants = listenerVariants
    }

    /// The context to use on listener `index` (this one unless the listener's policy differs).
    @inline(__always)
    func variant(forListener index: Int) -> SiteTLSContext {
        self.listenerVariants.isEmpty ? self : (self.listenerVariants[index] ?? self)
    }

    /// Installs the certificates and the session-ID context on a connection (after any policy switch,
    /// which replaces the connection's certificate slots with the policy context's empty ones).
    @inline(__always)
    func install(on ssl: OpaquePointer) -> Bool {
        for key in self.certifiedKeys where !key.install(on: ssl) { return false }
        return self.sessionIDContext.withUnsafeBufferPointer { bytes in
            SSL_set_session_id_context(ssl, bytes.baseAddress, UInt32(bytes.count)) == 1
        }
    }

    /// The chain and key of each served certificate, read back as PEM (primary first).
    public func servedPEM() -> [(chainPEM: String, keyPEM: String)] {
        self.certifiedKeys.compactMap { $0.pem() }
    }

    /// SHA-256(`value`), cut to `SSL_MAX_SID_CTX_LENGTH` bytes.
    private static func digest(_ value: String) throws(TLSError) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let bytes = Array(value.utf8)
        guard EVP_Digest(bytes, bytes.count, &digest, &length, Self.sha256, nil) == 1 else {
            throw .draining("hashing the session-ID context")
        }
        return Array(digest.prefix(min(Int(length), Int(SSL_MAX_SID_CTX_LENGTH))))
    }

    /// SHA-256, fetched once (`EVP_sha256()` looks the algorithm up under a lock on every digest).
    nonisolated(unsafe) private static let sha256 = EVP_MD_fetch(nil, "SHA256", nil)
}
