import PortcullisTLS

/// Key algorithms Portcullis generates (self-signed certificates, later ACME orders).
public enum KeyType: String, Sendable, CaseIterable, Codable {
    case ec256, ec384, rsa2048, rsa3072, rsa4096

    /// How the status table shows it ("ECDSA P-256", "RSA 2048").
    public var displayName: String {
        switch self {
        case .ec256: return "ECDSA P-256"
        case .ec384: return "ECDSA P-384"
        case .rsa2048: return "RSA 2048"
        case .rsa3072: return "RSA 3072"
        case .rsa4096: return "RSA 4096"
        }
    }

    /// OpenSSL's group name for EC keys, nil for RSA.
    var curveName: String? {
        switch self {
        case .ec256: return "P-256"
        case .ec384: return "P-384"
        case .rsa2048, .rsa3072, .rsa4096: return nil
        }
    }

    /// Modulus size for RSA keys, nil for EC.
    var rsaBits: UInt32? {
        switch self {
        case .rsa2048: return 2048
        case .rsa3072: return 3072
        case .rsa4096: return 4096
        case .ec256, .ec384: return nil
        }
    }

    /// A fresh key of this type (self-signed certificates and ACME orders).
    package func makeKey() throws(TLSError) -> PrivateKey {
        try PrivateKey.generate(curve: self.curveName, rsaBits: Int32(self.rsaBits ?? 2048))
    }
}
