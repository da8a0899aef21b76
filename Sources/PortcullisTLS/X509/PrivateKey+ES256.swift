internal import COpenSSL

/// ES256 (RFC 7518 §3.4) for the ACME account key: the signature JWS wants and the public point of its JWK.
extension PrivateKey {
    /// True for an ECDSA P-256 key, the only kind ES256 signs with.
    package var isP256: Bool { EVP_PKEY_get_base_id(self.pkey) == EVP_PKEY_EC && EVP_PKEY_get_bits(self.pkey) == 256 }

    /// The uncompressed public point `04 || x || y` (65 bytes) of a P-256 key.
    package func p256PublicPoint() throws(TLSError) -> [UInt8] {
        guard self.isP256 else { throw TLSError("reading the account key", openSSLErrors: ["the account key must be ECDSA P-256"]) }
        var point = [UInt8](repeating: 0, count: 65)
        var length = 0
        guard EVP_PKEY_get_octet_string_param(self.pkey, OSSL_PKEY_PARAM_PUB_KEY, &point, point.count, &length) == 1,
            length == 65, point[0] == 0x04
        else { throw .draining("reading the account key's public point") }
        return point
    }

    /// ES256 signature of `message`: the raw 64-byte `r || s`, not OpenSSL's DER.
    package func es256Signature(_ message: [UInt8]) throws(TLSError) -> [UInt8] {
        try Self.rawECDSASignature(fromDER: try self.sha256SignatureDER(message))
    }

    /// EVP_DigestSign with SHA-256; returns the DER `ECDSA-Sig-Value`.
    private func sha256SignatureDER(_ message: [UInt8]) throws(TLSError) -> [UInt8] {
        guard let context = EVP_MD_CTX_new() else { throw .draining("allocating a digest context") }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestSignInit(context, nil, EVP_sha256(), nil, self.pkey) == 1 else {
            throw .draining("starting the ES256 signature")
        }
        var length = 0
        guard EVP_DigestSign(context, nil, &length, message, message.count) == 1 else {
            throw .draining("sizing the ES256 signature")
        }
        var der = [UInt8](repeating: 0, count: length)
        guard EVP_DigestSign(context, &der, &length, message, message.count) == 1 else {
            throw .draining("signing with the account key")
        }
        return Array(der.prefix(length))
    }

    /// DER `SEQUENCE { r INTEGER, s INTEGER }` → `r || s`, each left-padded to 32 bytes.
    package static func rawECDSASignature(fromDER der: [UInt8]) throws(TLSError) -> [UInt8] {
        let parsed: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            return d2i_ECDSA_SIG(nil, &cursor, buffer.count)
        }
        guard let signature = parsed else { throw .draining("decoding the ECDSA signature") }
        defer { ECDSA_SIG_free(signature) }
        var r: OpaquePointer? = nil  // get0: owned by `signature`
        var s: OpaquePointer? = nil
        ECDSA_SIG_get0(signature, &r, &s)
        var raw = [UInt8](repeating: 0, count: 64)
        let ok = raw.withUnsafeMutableBufferPointer { buffer in
            BN_bn2binpad(r, buffer.baseAddress, 32) == 32 && BN_bn2binpad(s, buffer.baseAddress! + 32, 32) == 32
        }
        guard ok else { throw .draining("encoding the ES256 signature") }
        return raw
    }
}
