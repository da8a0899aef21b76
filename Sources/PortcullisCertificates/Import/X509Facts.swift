internal import COpenSSL
import PortcullisTLS

/// Questions the importer asks about certificates and keys (all borrow, none take ownership).
enum X509Facts {
    /// basicConstraints CA:TRUE.
    static func isCA(_ certificate: X509Certificate) -> Bool {
        certificate.withUnsafePointer { X509_get_extension_flags($0) & UInt32(EXFLAG_CA) != 0 }
    }

    /// Subject equals issuer and the signature verifies with its own key.
    static func isSelfSigned(_ certificate: X509Certificate) -> Bool {
        certificate.withUnsafePointer { X509_self_signed($0, 0) == 1 }
    }

    /// Whether `issuer` issued `subject` (names, key identifiers and key usage agree).
    static func issued(_ issuer: X509Certificate, _ subject: X509Certificate) -> Bool {
        issuer.withUnsafePointer { i in subject.withUnsafePointer { s in X509_check_issued(i, s) == X509_V_OK } }
    }

    /// Whether `key` is the private half of the certificate's public key.
    static func matches(_ certificate: X509Certificate, key: PrivateKey) -> Bool {
        let result = certificate.withUnsafePointer { x509 in key.withUnsafePointer { X509_check_private_key(x509, $0) } }
        ERR_clear_error()
        return result == 1
    }

    /// The same certificate (DER equality).
    static func same(_ a: X509Certificate, _ b: X509Certificate) -> Bool {
        a.withUnsafePointer { x in b.withUnsafePointer { y in X509_cmp(x, y) == 0 } }
    }

    /// The subject as RFC 2253 text (`CN=example.com,O=Example`).
    static func subject(_ certificate: X509Certificate) -> String {
        certificate.withUnsafePointer { self.distinguishedName(X509_get_subject_name($0)) }
    }

    /// The issuer as RFC 2253 text.
    static func issuer(_ certificate: X509Certificate) -> String {
        certificate.withUnsafePointer { self.distinguishedName(X509_get_issuer_name($0)) }
    }

    /// `KeyType` of a key, or its OpenSSL description when Portcullis does not serve it.
    static func keyType(_ key: PrivateKey) -> Result<KeyType, CertificateImportError> {
        key.withUnsafePointer { pkey in
            let bits = EVP_PKEY_get_bits(pkey)
            let base = EVP_PKEY_get_base_id(pkey)
            var curve = [CChar](repeating: 0, count: 64)
            var length = 0
            let hasCurve = base == EVP_PKEY_EC
                && EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, &curve, curve.count, &length) == 1
            ERR_clear_error()
            let curveName = hasCurve ? String(decoding: curve.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : ""
            switch (base, bits) {
            case (EVP_PKEY_EC, 256) where curveName == "prime256v1" || curveName == "P-256": return .success(.ec256)
            case (EVP_PKEY_EC, 384) where curveName == "secp384r1" || curveName == "P-384": return .success(.ec384)
            case (EVP_PKEY_RSA, 2048): return .success(.rsa2048)
            case (EVP_PKEY_RSA, 3072): return .success(.rsa3072)
            case (EVP_PKEY_RSA, 4096): return .success(.rsa4096)
            case (EVP_PKEY_EC, _): return .failure(.unsupportedKeyType("EC \(curveName.isEmpty ? "\(bits)-bit" : curveName)"))
            case (EVP_PKEY_RSA, _): return .failure(.unsupportedKeyType("RSA \(bits)"))
            default:
                let name = EVP_PKEY_get0_type_name(pkey).map { String(cString: $0) } ?? "unknown"
                return .failure(.unsupportedKeyType(name))
            }
        }
    }

    /// Entries in reverse order (RFC 2253), short names, escaping only commas.
    private static func distinguishedName(_ name: OpaquePointer?) -> String {
        guard let name else { return "" }
        var parts: [String] = []
        for index in 0..<X509_NAME_entry_count(name) {
            guard let entry = X509_NAME_get_entry(name, index), let data = X509_NAME_ENTRY_get_data(entry),
                let object = X509_NAME_ENTRY_get_object(entry)
            else { continue }
            let nid = OBJ_obj2nid(object)
            let key = nid == NID_undef ? "?" : String(cString: OBJ_nid2sn(nid))
            let value: String
            if let bytes = ASN1_STRING_get0_data(data) {
                value = String(decoding: UnsafeBufferPointer(start: bytes, count: Int(ASN1_STRING_length(data))), as: UTF8.self)
            } else {
                value = ""
            }
            parts.append(key + "=" + value.replacingOccurrences(of: ",", with: "\\,"))
        }
        return parts.reversed().joined(separator: ",")
    }
}
