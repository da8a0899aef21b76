import Foundation
import PortcullisTLS

/// Reads a stored certificate the way the proxy would serve it: the chain parses, the key parses and
/// matches the leaf. Used by `certs list`, the store watcher (a bad file is ignored) and `validate`.
public enum StoredCertificateCheck {
    /// What a successful check learned.
    public struct Facts: Sendable {
        public var summary: CertificateSummary
        /// RFC 2253 issuer of the leaf.
        public var issuer: String
    }

    /// Throws a one-sentence reason when the certificate could not be served.
    public static func check(_ certificate: StoredCertificate) throws -> Facts {
        let chain: [X509Certificate]
        let key: PrivateKey
        do {
            chain = try X509Certificate.chain(fromPEM: certificate.chainPEM)
            key = try PrivateKey(pem: certificate.keyPEM)
        } catch {
            throw CertificateStoreError.invalidCertificate(error)
        }
        guard X509Facts.matches(chain[0], key: key) else { throw CertificateImportError.keyMismatch }
        let summary = try CertificateSummary(chainPEM: certificate.chainPEM)
        return Facts(summary: summary, issuer: X509Facts.issuer(chain[0]))
    }
}
