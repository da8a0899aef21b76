/// The certificate key families that decide which TLS 1.2 ciphers a certificate can serve.
public enum TLSKeyAlgorithm: String, Sendable, Hashable, CaseIterable {
    /// ECDSA keys serve `ECDHE-ECDSA-*` ciphers.
    case ecdsa = "ECDSA"
    /// RSA keys serve `ECDHE-RSA-*`, `DHE-RSA-*` and plain RSA key exchange ciphers.
    case rsa = "RSA"
    /// Ed25519 and others: TLS 1.3 only here.
    case other = "other"

    /// Whether a certificate with this key can negotiate TLS 1.2 cipher `name` (OpenSSL naming).
    public func canServe(cipher name: String) -> Bool {
        switch self {
        case .ecdsa: return name.contains("-ECDSA-")
        case .rsa: return !name.contains("-ECDSA-")
        case .other: return false
        }
    }
}
