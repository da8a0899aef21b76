internal import COpenSSL

/// The raw identifiers ACME Renewal Information (RFC 9773 §4.1) builds a certificate ID from.
extension X509Certificate {
    /// The authority key identifier's keyIdentifier octets; nil when the extension is absent.
    package var authorityKeyIdentifier: [UInt8]? {
        X509_get0_authority_key_id(self.x509).map(Self.bytes)  // get0: owned by the certificate
    }

    /// The serial number INTEGER's content octets (the magnitude, as OpenSSL stores it).
    package var serialNumberBytes: [UInt8]? {
        X509_get0_serialNumber(self.x509).map(Self.bytes)
    }

    /// An ASN.1 string's content bytes.
    private static func bytes(_ value: UnsafePointer<ASN1_STRING>) -> [UInt8] {
        guard let data = ASN1_STRING_get0_data(value) else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: Int(ASN1_STRING_length(value))))
    }
}
