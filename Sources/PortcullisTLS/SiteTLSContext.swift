internal import COpenSSL
internal import CShims

/// One site's `SSL_CTX`: certificate chain and key, the site's policy, and a session-ID context of its
/// own so that a session from another site never resumes here. Immutable; freed with the last reference
/// (connections hold their own OpenSSL reference once switched to it).
public final class SiteTLSContext: @unchecked Sendable {  // the SSL_CTX is never mutated after init; OpenSSL locks its refcount and cache
    /// Interned certificate name (`CertificateRegistry`), recorded on each connection that selects this site.
    public let certificateID: Int
    /// The owned `SSL_CTX*`; pass to `SSL_set_SSL_CTX` (which up-refs it).
    package let ctx: OpaquePointer
    /// What the ClientHello callback re-applies to each connection.
    let policy: PreparedPolicy

    /// The key algorithms of the installed certificates (one certificate per algorithm).
    public let keyAlgorithms: Set<TLSKeyAlgorithm>
    /// Contexts of the same site under another listener's policy, by listener index (sites without a
    /// policy of their own follow the listener's).
    let listenerVariants: [Int: SiteTLSContext]

    /// Builds the context; fails if the PEM cannot be read, the key does not match the leaf certificate,
    /// or OpenSSL refuses the policy.
    /// - Parameter sessionIDContext: any string unique to the site (hashed to OpenSSL's 32-byte limit).
    public convenience init(
        chainPEM: String, keyPEM: String, certificateID: Int, sessionIDContext: String, policy: TLSPolicySettings
    ) throws(TLSError) {
        try self.init(
            certificates: [(chainPEM, keyPEM)], certificateID: certificateID, sessionIDContext: sessionIDContext,
            policy: policy)
    }

    /// A context serving several certificates of different key types (ECDSA and RSA, as nginx and
    /// HAProxy do): OpenSSL picks per handshake from the client's signature algorithms and ciphers.
    public init(
        certificates: [(chainPEM: String, keyPEM: String)], certificateID: Int, sessionIDContext: String,
        policy: TLSPolicySettings, listenerVariants: [Int: SiteTLSContext] = [:]
    ) throws(TLSError) {
        OpenSSLRuntime.initialize()
        var parsed: [([X509Certificate], PrivateKey)] = []
        for (chainPEM, keyPEM) in certificates {
            parsed.append((try X509Certificate.chain(fromPEM: chainPEM), try PrivateKey(pem: keyPEM)))
        }
        guard !parsed.isEmpty else { throw TLSError("building a TLS context: no certificate given") }
        guard let ctx = SSL_CTX_new(TLS_server_method()) else { throw .draining("creating a TLS context") }
        var algorithms = Set<TLSKeyAlgorithm>()
        do throws(TLSError) {
            for (chain, key) in parsed {
                let algorithm = key.algorithm
                guard algorithms.insert(algorithm).inserted else {
                    throw TLSError("two certificates with \(algorithm.rawValue) keys; a site serves one per key type")
                }
                try Self.install(chain: chain, key: key, in: ctx)
            }
            try Self.setSessionIDContext(sessionIDContext, in: ctx)
            self.policy = try PreparedPolicy(policy, configuring: ctx)
        } catch {
            SSL_CTX_free(ctx)
            throw error
        }
        self.ctx = ctx
        self.certificateID = certificateID
        self.keyAlgorithms = algorithms
        self.listenerVariants = listenerVariants
    }

    /// The context to use on listener `index` (this one unless the listener's policy differs).
    @inline(__always)
    func variant(forListener index: Int) -> SiteTLSContext {
        self.listenerVariants.isEmpty ? self : (self.listenerVariants[index] ?? self)
    }

    /// Drops this object's reference; connections switched to the context keep theirs.
    deinit { SSL_CTX_free(self.ctx) }

    /// Sets the leaf, the intermediates and the key, and checks that the key matches the leaf.
    private static func install(chain: [X509Certificate], key: PrivateKey, in ctx: OpaquePointer) throws(TLSError) {
        guard chain[0].withUnsafePointer({ SSL_CTX_use_certificate(ctx, $0) }) == 1 else {
            throw .draining("using the leaf certificate")
        }
        for (index, intermediate) in chain.dropFirst().enumerated() {
            guard intermediate.withUnsafePointer({ pc_SSL_CTX_add1_chain_cert(ctx, $0) }) == 1 else {
                throw .draining("adding chain certificate \(index + 2)")
            }
        }
        guard key.withUnsafePointer({ SSL_CTX_use_PrivateKey(ctx, $0) }) == 1,
            SSL_CTX_check_private_key(ctx) == 1
        else {
            throw .draining("the private key does not match the certificate")
        }
    }

    /// Sets SHA-256(`value`) as the session-ID context (exactly `SSL_MAX_SID_CTX_LENGTH` bytes).
    private static func setSessionIDContext(_ value: String, in ctx: OpaquePointer) throws(TLSError) {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let bytes = Array(value.utf8)
        guard EVP_Digest(bytes, bytes.count, &digest, &length, EVP_sha256(), nil) == 1,
            SSL_CTX_set_session_id_context(ctx, digest, min(length, UInt32(SSL_MAX_SID_CTX_LENGTH))) == 1
        else {
            throw .draining("setting the session-ID context")
        }
    }
}
