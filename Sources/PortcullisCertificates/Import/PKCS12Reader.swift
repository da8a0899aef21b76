internal import COpenSSL
internal import CShims
import PortcullisTLS

/// Opens PKCS#12 (PFX) files, including legacy ones (RC2-40 / 3DES with a SHA-1 MAC, as old Windows
/// exports are): OpenSSL 3 keeps those algorithms in its "legacy" provider, loaded on first use
/// together with "default" (loading one provider explicitly stops the implicit default load).
enum PKCS12Reader {
    /// The key, the certificate and any extra certificates in `path`.
    static func read(path: String, password: String) throws -> (key: PrivateKey, certificates: [X509Certificate]) {
        try Self.read(bytes: try ImportFiles.bytes(path), label: path, password: password)
    }

    /// The same from the file's bytes (`label` names it in errors).
    static func read(bytes: [UInt8], label path: String, password: String) throws -> (key: PrivateKey, certificates: [X509Certificate]) {
        _ = legacyProviders
        var pointer: UnsafePointer<UInt8>? = nil
        let parsed: OpaquePointer? = bytes.withUnsafeBufferPointer { buffer in
            pointer = buffer.baseAddress
            return d2i_PKCS12(nil, &pointer, buffer.count)
        }
        guard let p12 = parsed else {
            ERR_clear_error()
            throw CertificateImportError.notAPFX(path: path)
        }
        defer { PKCS12_free(p12) }
        guard PKCS12_verify_mac(p12, password, Int32(password.utf8.count)) == 1 else {
            let detail = TLSError.drainErrorQueue().joined(separator: "; ")
            if detail.contains("unsupported") {
                throw CertificateImportError.undecryptablePFX(path: path, detail: detail)
            }
            throw CertificateImportError.wrongPassword(path: path)
        }
        return try Self.parse(p12, password: password, path: path)
    }

    /// `PKCS12_parse`, taking ownership of everything it returns.
    private static func parse(
        _ p12: OpaquePointer, password: String, path: String
    ) throws -> (key: PrivateKey, certificates: [X509Certificate]) {
        var pkey: OpaquePointer? = nil
        var leaf: OpaquePointer? = nil
        var extra: OpaquePointer? = nil
        guard PKCS12_parse(p12, password, &pkey, &leaf, &extra) == 1 else {
            throw CertificateImportError.undecryptablePFX(
                path: path, detail: TLSError.drainErrorQueue().joined(separator: "; "))
        }
        var certificates: [X509Certificate] = []
        if let leaf { certificates.append(X509Certificate(takingOwnership: leaf)) }
        if let extra {
            // The stack owns its elements; adopt each, then free only the stack.
            for index in 0..<pc_sk_X509_num(extra) {
                if let x509 = pc_sk_X509_value(extra, index) { certificates.append(X509Certificate(takingOwnership: x509)) }
            }
            OPENSSL_sk_free(extra)
        }
        guard let pkey else {
            throw CertificateImportError.incompletePFX(path: path, missing: "a private key")
        }
        let key = PrivateKey(takingOwnership: pkey)
        guard !certificates.isEmpty else {
            throw CertificateImportError.incompletePFX(path: path, missing: "a certificate")
        }
        return (key, certificates)
    }

    /// PKCS#12 with the key and chain, encrypted with AES-256-CBC / PBKDF2 and a SHA-256 MAC
    /// (OpenSSL 3's defaults), as DER.
    static func export(chain: [X509Certificate], key: PrivateKey, password: String, friendlyName: String) throws -> [UInt8] {
        guard let stack = OPENSSL_sk_new_null() else { throw TLSError.draining("allocating a certificate stack") }
        defer { OPENSSL_sk_free(stack) }
        for certificate in chain.dropFirst() {
            certificate.withUnsafePointer { x509 in _ = OPENSSL_sk_push(stack, UnsafeRawPointer(x509)) }
        }
        let p12: OpaquePointer? = key.withUnsafePointer { pkey in
            chain[0].withUnsafePointer { leaf in
                PKCS12_create(password, friendlyName, pkey, leaf, stack, 0, 0, 0, 0, 0)
            }
        }
        guard let p12 else { throw TLSError.draining("creating the PKCS#12 file") }
        defer { PKCS12_free(p12) }
        var out: UnsafeMutablePointer<UInt8>? = nil
        let length = i2d_PKCS12(p12, &out)
        guard length > 0, let out else { throw TLSError.draining("encoding the PKCS#12 file") }
        defer { pc_OPENSSL_free(out) }
        return Array(UnsafeBufferPointer(start: out, count: Int(length)))
    }
}

/// Loads "legacy" and "default" once per process (only processes that open a PFX).
private let legacyProviders: Bool = {
    let legacy = OSSL_PROVIDER_load(nil, "legacy")
    let standard = OSSL_PROVIDER_load(nil, "default")
    ERR_clear_error()
    return legacy != nil && standard != nil
}()
