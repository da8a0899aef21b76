internal import COpenSSL
import PortcullisTLS

/// Fresh private keys for the account (P-256) and for each certificate order (`key_type`).
enum KeyFactory {
    /// Key algorithms by `key_type` name.
    enum Kind: String, CaseIterable {
        case ec256, ec384, rsa2048, rsa3072, rsa4096

        /// OpenSSL's group name for EC kinds.
        var curve: String? { self == .ec256 ? "P-256" : self == .ec384 ? "P-384" : nil }
        /// Modulus bits for RSA kinds.
        var bits: Int32 { self == .rsa2048 ? 2048 : self == .rsa3072 ? 3072 : 4096 }
    }

    /// A new key of `kind` (the `EVP_PKEY_CTX` route; `EVP_EC_gen` is variadic).
    static func make(_ kind: Kind) throws -> PrivateKey {
        guard let context = EVP_PKEY_CTX_new_from_name(nil, kind.curve == nil ? "RSA" : "EC", nil) else {
            throw ACMECryptoError.draining("creating a \(kind.rawValue) key generator")
        }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_keygen_init(context) == 1 else { throw ACMECryptoError.draining("starting key generation") }
        if let curve = kind.curve {
            guard EVP_PKEY_CTX_set_group_name(context, curve) == 1 else { throw ACMECryptoError.draining("selecting \(curve)") }
        } else {
            guard EVP_PKEY_CTX_set_rsa_keygen_bits(context, kind.bits) == 1 else { throw ACMECryptoError.draining("setting RSA bits") }
        }
        var pkey: OpaquePointer? = nil
        guard EVP_PKEY_generate(context, &pkey) == 1, let pkey else {
            throw ACMECryptoError.draining("generating a \(kind.rawValue) key")
        }
        return PrivateKey(takingOwnership: pkey)
    }
}
