/// The AWS Elastic Load Balancing policies (docs/REFERENCE.md, policy reference data): ciphers in the AWS table's order in
/// OpenSSL names, server cipher preference, and the three TLS 1.3 suites on every TLS 1.3 policy.
extension PolicyCatalogue {
    /// G4: ECDHE with AES-GCM.
    static let g4 = [
        "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384",
        "ECDHE-RSA-AES256-GCM-SHA384",
    ]
    /// S4: ECDHE with AES-CBC and SHA-2.
    static let s4 = [
        "ECDHE-ECDSA-AES128-SHA256", "ECDHE-RSA-AES128-SHA256", "ECDHE-ECDSA-AES256-SHA384", "ECDHE-RSA-AES256-SHA384",
    ]
    /// C4: ECDHE with AES-CBC and SHA-1.
    static let c4 = [
        "ECDHE-ECDSA-AES128-SHA", "ECDHE-RSA-AES128-SHA", "ECDHE-RSA-AES256-SHA", "ECDHE-ECDSA-AES256-SHA",
    ]
    /// R4: RSA key exchange with AES-GCM and AES-CBC/SHA-2.
    static let r4 = ["AES128-GCM-SHA256", "AES128-SHA256", "AES256-GCM-SHA384", "AES256-SHA256"]
    /// RC2: RSA key exchange with AES-CBC/SHA-1.
    static let rc2 = ["AES128-SHA", "AES256-SHA"]
    /// Groups AWS offers (X25519, P-256, P-384).
    static let elbGroups = ["X25519", "prime256v1", "secp384r1"]

    /// One ELB policy; TLS 1.0/1.1 ones get security level 0, TLS 1.2-only ones no TLS 1.3 suites.
    private static func elbPolicy(
        _ name: String, _ min: TLSProtocolVersion, _ max: TLSProtocolVersion, _ ciphers: [String]
    ) -> SecurityPolicy {
        SecurityPolicy(
            name: name, source: "AWS Elastic Load Balancing", minVersion: min, maxVersion: max, ciphers: ciphers,
            ciphersuites: max == .tls1_3 ? SecurityPolicy.tls13Suites : [], groups: elbGroups,
            serverPreference: true, securityLevel: min < .tls1_2 ? 0 : nil)
    }

    static let elb: [SecurityPolicy] = [
        // TLS 1.3 policies.
        elbPolicy("ELBSecurityPolicy-TLS13-1-3-2021-06", .tls1_3, .tls1_3, []),
        elbPolicy("ELBSecurityPolicy-TLS13-1-2-Res-2021-06", .tls1_2, .tls1_3, g4),
        elbPolicy("ELBSecurityPolicy-TLS13-1-2-2021-06", .tls1_2, .tls1_3, g4 + s4),
        elbPolicy("ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06", .tls1_2, .tls1_3, g4 + s4 + r4),
        elbPolicy("ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06", .tls1_2, .tls1_3, g4 + s4 + c4 + r4 + rc2),
        elbPolicy("ELBSecurityPolicy-TLS13-1-1-2021-06", .tls1_1, .tls1_3, g4 + s4 + c4 + r4 + rc2),
        elbPolicy("ELBSecurityPolicy-TLS13-1-0-2021-06", .tls1_0, .tls1_3, g4 + s4 + c4 + r4 + rc2),
        // Forward-secrecy and older policies.
        elbPolicy("ELBSecurityPolicy-FS-1-2-Res-2020-10", .tls1_2, .tls1_2, g4),
        elbPolicy("ELBSecurityPolicy-FS-1-2-Res-2019-08", .tls1_2, .tls1_2, g4 + s4),
        elbPolicy("ELBSecurityPolicy-FS-1-2-2019-08", .tls1_2, .tls1_2, g4 + s4 + c4),
        elbPolicy("ELBSecurityPolicy-FS-1-1-2019-08", .tls1_1, .tls1_2, g4 + s4 + c4),
        elbPolicy("ELBSecurityPolicy-FS-2018-06", .tls1_0, .tls1_2, g4 + s4 + c4),
        elbPolicy("ELBSecurityPolicy-2016-08", .tls1_0, .tls1_2, g4 + s4 + c4 + r4 + rc2),
        elbPolicy("ELBSecurityPolicy-TLS-1-2-2017-01", .tls1_2, .tls1_2, g4 + s4 + r4),
        elbPolicy("ELBSecurityPolicy-TLS-1-2-Ext-2018-06", .tls1_2, .tls1_2, g4 + s4 + c4 + r4 + rc2),
        elbPolicy("ELBSecurityPolicy-TLS-1-1-2017-01", .tls1_1, .tls1_2, g4 + s4 + c4 + r4 + rc2),
        elbPolicy("ELBSecurityPolicy-TLS-1-0-2015-04", .tls1_0, .tls1_2, g4 + s4 + c4 + r4 + rc2 + ["DES-CBC3-SHA"]),
    ]
}
