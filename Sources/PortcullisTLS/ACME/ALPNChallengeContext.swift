internal import COpenSSL
internal import CShims

/// The `SSL_CTX` answering one TLS-ALPN-01 challenge (RFC 8737 §3): a fresh P-256 key, a self-signed
/// certificate whose only SAN is the name and which carries the critical id-pe-acmeIdentifier
/// extension (SHA-256 of the key authorization), and an ALPN callback that selects `acme-tls/1`.
final class ALPNChallengeContext: @unchecked Sendable {  // the SSL_CTX is never mutated after init
    let ctx: OpaquePointer

    init(domain: String, keyAuthorization: String) throws(TLSError) {
        OpenSSLRuntime.initialize()
        let key = try Self.makeKey()
        let certificate = try Self.makeCertificate(domain: domain, keyAuthorization: keyAuthorization, key: key)
        guard let ctx = SSL_CTX_new(TLS_server_method()) else { throw .draining("creating a TLS-ALPN-01 context") }
        guard certificate.withUnsafePointer({ SSL_CTX_use_certificate(ctx, $0) }) == 1,
            key.withUnsafePointer({ SSL_CTX_use_PrivateKey(ctx, $0) }) == 1
        else {
            SSL_CTX_free(ctx)
            throw .draining("installing the TLS-ALPN-01 certificate")
        }
        SSL_CTX_set_alpn_select_cb(ctx, selectACMEProtocol, nil)
        self.ctx = ctx
    }

    deinit { SSL_CTX_free(self.ctx) }

    /// The DER of the extension value: an OCTET STRING holding the 32-byte digest (RFC 8737 §3).
    static func acmeIdentifierValue(keyAuthorization: String) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let bytes = Array(keyAuthorization.utf8)
        _ = EVP_Digest(bytes, bytes.count, &digest, &length, EVP_sha256(), nil)
        return [0x04, 0x20] + digest.prefix(32)
    }

    private static func makeKey() throws(TLSError) -> PrivateKey {
        guard let pctx = EVP_PKEY_CTX_new_from_name(nil, "EC", nil) else { throw .draining("creating a key generator") }
        defer { EVP_PKEY_CTX_free(pctx) }
        var pkey: OpaquePointer? = nil
        guard EVP_PKEY_keygen_init(pctx) == 1, EVP_PKEY_CTX_set_group_name(pctx, "P-256") == 1,
            EVP_PKEY_generate(pctx, &pkey) == 1, let pkey
        else { throw .draining("generating a P-256 key") }
        return PrivateKey(takingOwnership: pkey)
    }

    private static func makeCertificate(domain: String, keyAuthorization: String, key: PrivateKey) throws(TLSError)
        -> X509Certificate
    {
        guard let x509 = X509_new() else { throw .draining("allocating a certificate") }
        let certificate = X509Certificate(takingOwnership: x509)
        var serial = [UInt8](repeating: 0, count: 16)
        guard X509_set_version(x509, 2) == 1, RAND_bytes(&serial, 16) == 1 else { throw .draining("serial") }
        serial[0] &= 0x7F
        guard let bignum = BN_bin2bn(serial, 16, nil) else { throw .draining("serial") }
        defer { BN_free(bignum) }
        guard BN_to_ASN1_INTEGER(bignum, X509_get_serialNumber(x509)) != nil,
            X509_gmtime_adj(X509_getm_notBefore(x509), -3600) != nil,
            X509_gmtime_adj(X509_getm_notAfter(x509), 7 * 86_400) != nil,
            key.withUnsafePointer({ X509_set_pubkey(x509, $0) }) == 1,
            let name = X509_get_subject_name(x509),
            X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, "ACME TLS-ALPN-01 challenge", -1, -1, 0) == 1,
            X509_set_issuer_name(x509, name) == 1
        else { throw .draining("setting the challenge certificate's fields") }
        try Self.addSubjectAltName(x509, domain: domain)
        try Self.addACMEIdentifier(x509, value: Self.acmeIdentifierValue(keyAuthorization: keyAuthorization))
        guard key.withUnsafePointer({ X509_sign(x509, $0, EVP_sha256()) }) > 0 else { throw .draining("signing") }
        return certificate
    }

    /// subjectAltName = exactly one dNSName.
    private static func addSubjectAltName(_ x509: OpaquePointer, domain: String) throws(TLSError) {
        var context = X509V3_CTX()
        X509V3_set_ctx(&context, x509, x509, nil, nil, 0)
        guard let ext = X509V3_EXT_conf_nid(nil, &context, NID_subject_alt_name, "DNS:" + domain) else {
            throw .draining("building subjectAltName DNS:\(domain)")
        }
        defer { X509_EXTENSION_free(ext) }
        guard X509_add_ext(x509, ext, -1) == 1 else { throw .draining("adding subjectAltName") }
    }

    /// id-pe-acmeIdentifier (1.3.6.1.5.5.7.1.31), critical.
    private static func addACMEIdentifier(_ x509: OpaquePointer, value: [UInt8]) throws(TLSError) {
        guard let object = OBJ_txt2obj("1.3.6.1.5.5.7.1.31", 1) else {
            throw .draining("making the acmeIdentifier OID")
        }
        defer { ASN1_OBJECT_free(object) }
        guard let octets = ASN1_OCTET_STRING_new() else { throw .draining("allocating an OCTET STRING") }
        defer { ASN1_OCTET_STRING_free(octets) }
        guard ASN1_OCTET_STRING_set(octets, value, Int32(value.count)) == 1,
            let ext = X509_EXTENSION_create_by_OBJ(nil, object, 1, octets)
        else { throw .draining("building the acmeIdentifier extension") }
        defer { X509_EXTENSION_free(ext) }
        guard X509_add_ext(x509, ext, -1) == 1 else { throw .draining("adding the acmeIdentifier extension") }
    }
}

/// Selects `acme-tls/1` (the only protocol this context speaks); a client not offering it gets no ALPN.
private let selectACMEProtocol:
    @convention(c) (
        OpaquePointer?, UnsafeMutablePointer<UnsafePointer<UInt8>?>?, UnsafeMutablePointer<UInt8>?,
        UnsafePointer<UInt8>?, UInt32, UnsafeMutableRawPointer?
    ) -> Int32 = { _, out, outLength, offered, offeredLength, _ in
        guard let out, let outLength, let offered,
            let found = ALPNChallenges.findACMEProtocol(
                UnsafeRawBufferPointer(start: offered, count: Int(offeredLength)))
        else { return SSL_TLSEXT_ERR_NOACK }
        out.pointee = offered + found
        outLength.pointee = UInt8(ALPNChallenges.protocolName.count)
        return SSL_TLSEXT_ERR_OK
    }
