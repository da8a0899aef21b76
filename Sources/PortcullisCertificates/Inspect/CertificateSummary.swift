internal import COpenSSL
import Foundation
import PortcullisTLS

/// What the store and (later) the status table need to know about a certificate chain's leaf.
public struct CertificateSummary: Sendable, Equatable {
    /// Subject CN, empty if the subject has none.
    public var commonName: String
    /// DNS subjectAltNames, in certificate order.
    public var dnsNames: [String]
    /// The leaf key's algorithm, nil for anything Portcullis does not generate.
    public var keyType: KeyType?
    /// Start of validity.
    public var notBefore: Date
    /// End of validity.
    public var notAfter: Date
    /// Serial number, upper-case hex.
    public var serialHex: String

    /// Reads the first certificate of `chainPEM`.
    public init(chainPEM: String) throws {
        do throws(TLSError) {
            let chain = try X509Certificate.chain(fromPEM: chainPEM)
            self = try chain[0].withUnsafePointer { x509 throws(TLSError) in try Self.summarize(x509) }
        } catch {
            throw CertificateStoreError.invalidCertificate(error)
        }
    }

    private init(
        commonName: String, dnsNames: [String], keyType: KeyType?, notBefore: Date, notAfter: Date, serialHex: String
    ) {
        self.commonName = commonName
        self.dnsNames = dnsNames
        self.keyType = keyType
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.serialHex = serialHex
    }

    /// Collects every field from a borrowed `X509*`.
    private static func summarize(_ x509: OpaquePointer) throws(TLSError) -> CertificateSummary {
        guard let notBefore = Self.date(X509_get0_notBefore(x509)), let notAfter = Self.date(X509_get0_notAfter(x509))
        else { throw .draining("reading the validity dates") }
        return CertificateSummary(
            commonName: Self.commonName(x509), dnsNames: Self.dnsNames(x509), keyType: Self.keyType(x509),
            notBefore: notBefore, notAfter: notAfter, serialHex: Self.serialHex(x509))
    }

    /// The first CN entry of the subject.
    private static func commonName(_ x509: OpaquePointer) -> String {
        guard let name = X509_get_subject_name(x509) else { return "" }
        let index = X509_NAME_get_index_by_NID(name, NID_commonName, -1)
        guard index >= 0, let entry = X509_NAME_get_entry(name, index),
            let data = X509_NAME_ENTRY_get_data(entry)
        else { return "" }
        return Self.string(data)
    }

    /// DNS entries of the subjectAltName extension.
    private static func dnsNames(_ x509: OpaquePointer) -> [String] {
        guard let raw = X509_get_ext_d2i(x509, NID_subject_alt_name, nil, nil) else { return [] }
        let names = OpaquePointer(raw)
        defer { GENERAL_NAMES_free(names) }
        var result: [String] = []
        for index in 0..<OPENSSL_sk_num(names) {
            let entry = OPENSSL_sk_value(names, index).assumingMemoryBound(to: GENERAL_NAME.self)
            if entry.pointee.type == GEN_DNS, let ia5 = entry.pointee.d.dNSName {
                result.append(Self.string(ia5))
            }
        }
        return result
    }

    /// EC curve or RSA size mapped to `KeyType`.
    private static func keyType(_ x509: OpaquePointer) -> KeyType? {
        guard let key = X509_get0_pubkey(x509) else { return nil }
        switch (EVP_PKEY_get_base_id(key), EVP_PKEY_get_bits(key)) {
        case (EVP_PKEY_EC, 256): return .ec256
        case (EVP_PKEY_EC, 384): return .ec384
        case (EVP_PKEY_RSA, 2048): return .rsa2048
        case (EVP_PKEY_RSA, 3072): return .rsa3072
        case (EVP_PKEY_RSA, 4096): return .rsa4096
        default: return nil
        }
    }

    /// The serial in hex.
    private static func serialHex(_ x509: OpaquePointer) -> String {
        guard let bignum = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x509), nil) else { return "" }
        defer { BN_free(bignum) }
        guard let hex = BN_bn2hex(bignum) else { return "" }
        defer { CRYPTO_free(hex, #file, #line) }
        return String(cString: hex)
    }

    /// An `ASN1_TIME` as a `Date`.
    private static func date(_ time: UnsafePointer<ASN1_TIME>?) -> Date? {
        var parts = tm()
        guard let time, ASN1_TIME_to_tm(time, &parts) == 1 else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(timegm(&parts)))
    }

    /// An ASN.1 string's bytes as UTF-8 text.
    private static func string(_ value: UnsafePointer<ASN1_STRING>) -> String {
        guard let bytes = ASN1_STRING_get0_data(value) else { return "" }
        return String(decoding: UnsafeBufferPointer(start: bytes, count: Int(ASN1_STRING_length(value))), as: UTF8.self)
    }
}
