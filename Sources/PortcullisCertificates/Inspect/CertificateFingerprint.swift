internal import COpenSSL
import PortcullisTLS

/// SHA-256 fingerprints of certificates (the admin API's `fingerprint_sha256`).
public enum CertificateFingerprint {
    /// Lower-case hex SHA-256 of the DER of the first certificate in `chainPEM`; nil when unreadable.
    public static func sha256(chainPEM: String) -> String? {
        guard let leaf = try? X509Certificate.chain(fromPEM: chainPEM).first else { return nil }
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let ok = leaf.withUnsafePointer { x509 in X509_digest(x509, EVP_sha256(), &digest, &length) }
        guard ok == 1, length == 32 else { return nil }
        return digest.map { byte in
            let text = String(byte, radix: 16)
            return byte < 16 ? "0" + text : text
        }.joined()
    }
}
