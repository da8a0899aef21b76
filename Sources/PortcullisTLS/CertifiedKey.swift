internal import COpenSSL
internal import CShims

/// One certificate chain and its private key, parsed once and shared by every site that serves the
/// same files: the ClientHello callback installs it on each connection (`SSL_use_cert_and_key`, which
/// up-refs the leaf and key and copies the short chain stack), so no site needs an `SSL_CTX` of its own.
/// Immutable; the OpenSSL objects are freed with the last reference (connections hold their own).
public final class CertifiedKey: @unchecked Sendable {  // never mutated after init; OpenSSL locks the refcounts
    /// The leaf `X509*` (one reference owned here).
    private let leaf: OpaquePointer
    /// The intermediates, leaf excluded (owned stack, one reference per certificate).
    private let chain: OpaquePointer
    /// The private key (one reference owned here).
    private let key: OpaquePointer
    /// The key's algorithm (a site serves one certificate per algorithm).
    public let algorithm: TLSKeyAlgorithm

    /// Parses `chainPEM` (leaf first) and `keyPEM`; fails if either cannot be read or the key does not
    /// match the leaf.
    public init(chainPEM: String, keyPEM: String) throws(TLSError) {
        OpenSSLRuntime.initialize()
        let certificates = try X509Certificate.chain(fromPEM: chainPEM)
        let privateKey = try PrivateKey(pem: keyPEM)
        guard let chain = pc_sk_X509_new_null() else { throw .draining("allocating a certificate chain") }
        for intermediate in certificates.dropFirst() {
            intermediate.withUnsafePointer { x509 in
                X509_up_ref(x509)
                if pc_sk_X509_push(chain, x509) <= 0 { X509_free(x509) }
            }
        }
        guard pc_sk_X509_num(chain) == certificates.count - 1 else {
            pc_sk_X509_pop_free(chain)
            throw .draining("building the certificate chain")
        }
        let leaf = certificates[0].withUnsafePointer { x509 in X509_up_ref(x509); return x509 }
        let key = privateKey.withUnsafePointer { pkey in EVP_PKEY_up_ref(pkey); return pkey }
        self.leaf = leaf
        self.chain = chain
        self.key = key
        self.algorithm = privateKey.algorithm
        guard X509_check_private_key(leaf, key) == 1 else {
            throw .draining("the private key does not match the certificate")
        }
    }

    deinit {
        X509_free(self.leaf)
        pc_sk_X509_pop_free(self.chain)
        EVP_PKEY_free(self.key)
    }

    /// Installs the chain and key on one connection, replacing any certificate of the same key type.
    @inline(__always)
    func install(on ssl: OpaquePointer) -> Bool {
        SSL_use_cert_and_key(ssl, self.leaf, self.key, self.chain, 1) == 1
    }

    /// The chain (leaf first) and key as PEM text: what this object serves, read back.
    public func pem() -> (chainPEM: String, keyPEM: String)? {
        var text = ""
        var certificates = [self.leaf]
        for index in 0..<pc_sk_X509_num(self.chain) {
            if let x509 = pc_sk_X509_value(self.chain, index) { certificates.append(x509) }
        }
        for x509 in certificates {
            X509_up_ref(x509)
            guard let block = try? X509Certificate(takingOwnership: x509).pem() else { return nil }
            text += block
        }
        EVP_PKEY_up_ref(self.key)
        guard let key = try? PrivateKey(takingOwnership: self.key).pem() else { return nil }
        return (text, key)
    }
}
