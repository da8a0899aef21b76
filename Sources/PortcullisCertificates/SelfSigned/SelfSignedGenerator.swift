internal import COpenSSL
import PortcullisTLS

/// Generates self-signed server certificates: CN = the first domain, SANs = all domains (wildcards
/// allowed), serverAuth EKU, CA:FALSE, random 127-bit serial, valid from one hour ago for `days` days.
public enum SelfSignedGenerator {
    /// A new key of `keyType` and a certificate for `domains`, both as PEM.
    public static func generate(
        domains: [String], keyType: KeyType = .ec256, days: Int = 365
    ) throws -> (chainPEM: String, keyPEM: String) {
        try Self.validate(domains)
        do throws(TLSError) {
            let key = try keyType.makeKey()
            let certificate = try Self.makeCertificate(domains: domains, key: key, keyType: keyType, days: days)
            return (try certificate.pem(), try key.pem())
        } catch {
            throw CertificateStoreError.generationFailed(domains: domains, error)
        }
    }

    /// Rejects domains that would not be DNS names (and could inject other SAN types into the config string).
    private static func validate(_ domains: [String]) throws {
        guard !domains.isEmpty else { throw CertificateStoreError.invalidDomain("", reason: "no domains given") }
        for domain in domains {
            let allowed = domain.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "*"),
                    UInt8(ascii: "_"):
                    return true
                default:
                    return false
                }
            }
            guard !domain.isEmpty, domain.utf8.count <= 253, allowed else {
                throw CertificateStoreError.invalidDomain(domain, reason: "only letters, digits, '-', '.', '_' and '*' are allowed")
            }
        }
    }

    /// Builds and signs the certificate.
    private static func makeCertificate(
        domains: [String], key: PrivateKey, keyType: KeyType, days: Int
    ) throws(TLSError) -> X509Certificate {
        guard let x509 = X509_new() else { throw .draining("allocating a certificate") }
        let certificate = X509Certificate(takingOwnership: x509)
        try Self.setBasics(x509, key: key, days: days)
        try Self.setNames(x509, commonName: domains[0])
        let keyUsage = keyType.curveName == nil ? "critical,digitalSignature,keyEncipherment" : "critical,digitalSignature"
        let extensions: [(Int32, String)] = [
            (NID_basic_constraints, "critical,CA:FALSE"),
            (NID_key_usage, keyUsage),
            (NID_ext_key_usage, "serverAuth"),
            (NID_subject_key_identifier, "hash"),
            (NID_subject_alt_name, domains.map { "DNS:" + $0 }.joined(separator: ",")),
        ]
        for (nid, value) in extensions { try Self.addExtension(x509, nid: nid, value: value) }
        let digest = keyType == .ec384 ? EVP_sha384() : EVP_sha256()
        guard key.withUnsafePointer({ X509_sign(x509, $0, digest) }) > 0 else {
            throw .draining("signing the certificate")
        }
        return certificate
    }

    /// Version 3, random serial, validity window, public key.
    private static func setBasics(_ x509: OpaquePointer, key: PrivateKey, days: Int) throws(TLSError) {
        var serial = [UInt8](repeating: 0, count: 16)
        guard X509_set_version(x509, 2) == 1, RAND_bytes(&serial, Int32(serial.count)) == 1 else {
            throw .draining("setting the version and serial")
        }
        serial[0] &= 0x7F  // positive, at most 127 bits (RFC 5280 §4.1.2.2 allows 20 octets)
        serial[0] |= 0x40  // and never shorter than 16 octets
        guard let bignum = BN_bin2bn(serial, Int32(serial.count), nil) else { throw .draining("making the serial") }
        defer { BN_free(bignum) }
        guard BN_to_ASN1_INTEGER(bignum, X509_get_serialNumber(x509)) != nil,
            X509_gmtime_adj(X509_getm_notBefore(x509), -3600) != nil,
            X509_gmtime_adj(X509_getm_notAfter(x509), days * 86_400) != nil,
            key.withUnsafePointer({ X509_set_pubkey(x509, $0) }) == 1
        else { throw .draining("setting the serial, validity and public key") }
    }

    /// Subject = issuer = CN=`commonName` (omitted past X.520's 64-character limit; the SANs still hold it).
    private static func setNames(_ x509: OpaquePointer, commonName: String) throws(TLSError) {
        guard let name = X509_get_subject_name(x509) else { throw .draining("reading the subject name") }
        if commonName.utf8.count <= 64 {
            guard X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, commonName, -1, -1, 0) == 1 else {
                throw .draining("setting CN=\(commonName)")
            }
        }
        guard X509_set_issuer_name(x509, name) == 1 else { throw .draining("setting the issuer name") }
    }

    /// Adds one v3 extension from OpenSSL's config syntax, with the certificate as its own issuer.
    private static func addExtension(_ x509: OpaquePointer, nid: Int32, value: String) throws(TLSError) {
        var context = X509V3_CTX()
        X509V3_set_ctx(&context, x509, x509, nil, nil, 0)
        guard let ext = X509V3_EXT_conf_nid(nil, &context, nid, value) else {
            throw .draining("building extension \(String(cString: OBJ_nid2sn(nid))) = \(value)")
        }
        defer { X509_EXTENSION_free(ext) }
        guard X509_add_ext(x509, ext, -1) == 1 else { throw .draining("adding extension \(value)") }
    }
}
