internal import COpenSSL

/// PKCS#10 certificate signing requests (RFC 2986) for ACME's `finalize` (RFC 8555 §7.4): every name
/// as a DNS SAN, the first one (if short enough for CN's 64-character limit) as CN.
package enum CertificateRequest {
    /// The DER request for `domains`, signed by `key` with SHA-384 if `sha384`, else SHA-256.
    package static func der(domains: [String], key: PrivateKey, sha384: Bool) throws(TLSError) -> [UInt8] {
        guard let request = X509_REQ_new() else { throw .draining("allocating a CSR") }
        defer { X509_REQ_free(request) }
        guard X509_REQ_set_version(request, 0) == 1, X509_REQ_set_pubkey(request, key.pkey) == 1 else {
            throw .draining("setting the CSR's key")
        }
        if let first = domains.first, first.utf8.count <= 64, let name = X509_REQ_get_subject_name(request) {
            guard X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, first, -1, -1, 0) == 1 else {
                throw .draining("setting CN=\(first)")
            }
        }
        try Self.addSubjectAltNames(domains, to: request)
        guard X509_REQ_sign(request, key.pkey, sha384 ? EVP_sha384() : EVP_sha256()) > 0 else {
            throw .draining("signing the CSR")
        }
        return try Self.encode(request)
    }

    /// `i2d_X509_REQ` twice: once for the length, once into the buffer.
    private static func encode(_ request: OpaquePointer) throws(TLSError) -> [UInt8] {
        let length = i2d_X509_REQ(request, nil)
        guard length > 0 else { throw .draining("encoding the CSR") }
        var der = [UInt8](repeating: 0, count: Int(length))
        let written = der.withUnsafeMutableBufferPointer { buffer in
            var cursor: UnsafeMutablePointer<UInt8>? = buffer.baseAddress
            return i2d_X509_REQ(request, &cursor)
        }
        guard written == length else { throw .draining("encoding the CSR") }
        return der
    }

    /// The extensionRequest attribute with one subjectAltName extension.
    private static func addSubjectAltNames(_ domains: [String], to request: OpaquePointer) throws(TLSError) {
        let value = domains.map { "DNS:" + $0 }.joined(separator: ",")
        guard let ext = X509V3_EXT_conf_nid(nil, nil, NID_subject_alt_name, value) else {
            throw .draining("building subjectAltName \(value)")
        }
        defer { X509_EXTENSION_free(ext) }
        guard let stack = OPENSSL_sk_new_null() else { throw .draining("allocating a stack") }
        defer { OPENSSL_sk_free(stack) }
        guard OPENSSL_sk_push(stack, UnsafeRawPointer(ext)) > 0, X509_REQ_add_extensions(request, stack) == 1 else {
            throw .draining("adding subjectAltName to the CSR")
        }
    }
}
