import PortcullisCertificates

/// Generated certificates for the policy unit tests.
enum TestCertificates {
    /// A fresh ECDSA P-256 chain and key for `p.test`.
    static func ecdsa() throws -> (String, String) {
        try SelfSignedGenerator.generate(domains: ["p.test"], keyType: .ec256)
    }
}
