internal import COpenSSL
import PortcullisTLS

/// PKCS#10 certificate signing requests for `finalize` (RFC 8555 §7.4): every name as a DNS SAN, the
/// first one (if short enough) as CN, signed by a fresh key.
enum CSRBuilder {
    /// A new key of `keyType` and the DER CSR for `domains`; the key comes back as PEM.
    static func make(domains: [String], keyType: String) throws -> (csrDER: [UInt8], keyPEM: String) {
        let kind = KeyFactory.Kind(rawValue: keyType) ?? .ec256
        let key = try KeyFactory.make(kind)
        let der = try key.withUnsafePointer { try Self.request(domains: domains, key: $0, kind: kind) }
        do { return (der, try key.pem()) } catch { throw ACMECryptoError(action: "writing the key", openSSLErrors: ["\(error)"]) }
    }

    /// Builds, signs and DER-encodes the request.
    private static func request(domains: [String], key: OpaquePointer, kind: KeyFactory.Kind) throws -> [UInt8] {
        guard let request = X509_REQ_new() else { throw ACMECryptoError.draining("allocating a CSR") }
        defer { X509_REQ_free(request) }
        guard X509_REQ_set_version(request, 0) == 1, X509_REQ_set_pubkey(request, key) == 1 else {
            throw ACMECryptoError.draining("setting the CSR's key")
        }
        if let first = domains.first, first.utf8.count <= 64, let name = X509_REQ_get_subject_name(request) {
            guard X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, first, -1, -1, 0) == 1 else {
                throw ACMECryptoError.draining("setting CN=\(first)")
            }
        }
        try Self.addSubjectAltNames(domains, to: request)
        let digest = kind == .ec384 ? EVP_sha384() : EVP_sha256()
        guard X509_REQ_sign(request, key, digest) > 0 else { throw ACMECryptoError.draining("signing the CSR") }
        let length = i2d_X509_REQ(request, nil)
        guard length > 0 else { throw ACMECryptoError.draining("encoding the CSR") }
        var der = [UInt8](repeating: 0, count: Int(length))
        let written = der.withUnsafeMutableBufferPointer { buffer in
            var cursor: UnsafeMutablePointer<UInt8>? = buffer.baseAddress
            return i2d_X509_REQ(request, &cursor)
        }
        guard written == length else { throw ACMECryptoError.draining("encoding the CSR") }
        return der
    }

    /// The extensionRequest attribute with one subjectAltName extension.
    private static func addSubjectAltNames(_ domains: [String], to request: OpaquePointer) throws {
        let value = domains.map { "DNS:" + $0 }.joined(separator: ",")
        guard let ext = X509V3_EXT_conf_nid(nil, nil, NID_subject_alt_name, value) else {
            throw ACMECryptoError.draining("building subjectAltName \(value)")
        }
        defer { X509_EXTENSION_free(ext) }
        guard let stack = OPENSSL_sk_new_null() else { throw ACMECryptoError.draining("allocating a stack") }
        defer { OPENSSL_sk_free(stack) }
        guard OPENSSL_sk_push(stack, UnsafeRawPointer(ext)) > 0, X509_REQ_add_extensions(request, stack) == 1 else {
            throw ACMECryptoError.draining("adding subjectAltName to the CSR")
        }
    }
}
