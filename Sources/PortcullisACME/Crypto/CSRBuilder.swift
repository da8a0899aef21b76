import PortcullisCertificates
import PortcullisTLS

/// The key and PKCS#10 request for `finalize` (RFC 8555 §7.4): a fresh key of the order's `key_type`,
/// every name as a DNS SAN (PortcullisTLS's `CertificateRequest` does the OpenSSL part).
enum CSRBuilder {
    /// A new key of `keyType` ("ec256" if unknown) and the DER CSR for `domains`; the key comes back as PEM.
    static func make(domains: [String], keyType: String) throws -> (csrDER: [UInt8], keyPEM: String) {
        let kind = KeyType(rawValue: keyType) ?? .ec256
        do throws(TLSError) {
            let key = try kind.makeKey()
            let der = try CertificateRequest.der(domains: domains, key: key, sha384: kind == .ec384)
            return (der, try key.pem())
        } catch {
            throw ACMECryptoError(error)
        }
    }
}
