internal import COpenSSL

extension PrivateKey {
    /// A fresh EC key on `curve` ("P-256") or, with `curve` nil, an RSA key of `rsaBits`. The
    /// `EVP_PKEY_CTX` route: `EVP_EC_gen`/`EVP_RSA_gen` are variadic and cannot be called from Swift.
    package static func generate(curve: String?, rsaBits: Int32 = 2048) throws(TLSError) -> PrivateKey {
        let what = curve.map { "an EC \($0)" } ?? "an RSA \(rsaBits)"
        guard let context = EVP_PKEY_CTX_new_from_name(nil, curve == nil ? "RSA" : "EC", nil) else {
            throw .draining("creating \(what) key generator")
        }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_keygen_init(context) == 1 else { throw .draining("starting \(what) key generation") }
        if let curve {
            guard EVP_PKEY_CTX_set_group_name(context, curve) == 1 else { throw .draining("selecting curve \(curve)") }
        } else {
            guard EVP_PKEY_CTX_set_rsa_keygen_bits(context, rsaBits) == 1 else { throw .draining("setting RSA bits") }
        }
        var pkey: OpaquePointer? = nil
        guard EVP_PKEY_generate(context, &pkey) == 1, let pkey else { throw .draining("generating \(what) key") }
        return PrivateKey(takingOwnership: pkey)
    }
}
