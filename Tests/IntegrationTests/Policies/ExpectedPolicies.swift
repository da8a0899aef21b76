/// The reference tables of docs/REFERENCE.md, policy reference data, written out independently of the code's catalogue, so the
/// proof tests compare the proxy's behaviour against the specification and not against itself.
struct ExpectedPolicy: Sendable, CustomStringConvertible {
    var name: String
    /// "1.0" … "1.3".
    var versions: [String]
    /// TLS 1.2 and older ciphers, in the policy's order.
    var ciphers: [String]
    var serverPreference: Bool
    /// Size of the DH group the DHE ciphers use.
    var dhBits = 2048
    var description: String { self.name }
    var tls13: Bool { self.versions.contains("1.3") }
    var tls12: Bool { self.versions.contains("1.2") }
}

enum ExpectedPolicies {
    static let g4 = [
        "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384",
        "ECDHE-RSA-AES256-GCM-SHA384",
    ]
    static let s4 = [
        "ECDHE-ECDSA-AES128-SHA256", "ECDHE-RSA-AES128-SHA256", "ECDHE-ECDSA-AES256-SHA384", "ECDHE-RSA-AES256-SHA384",
    ]
    static let c4 = [
        "ECDHE-ECDSA-AES128-SHA", "ECDHE-RSA-AES128-SHA", "ECDHE-RSA-AES256-SHA", "ECDHE-ECDSA-AES256-SHA",
    ]
    static let r4 = ["AES128-GCM-SHA256", "AES128-SHA256", "AES256-GCM-SHA384", "AES256-SHA256"]
    static let rc2 = ["AES128-SHA", "AES256-SHA"]
    static let all5 = g4 + s4 + c4 + r4 + rc2
    static let v13 = ["1.3"], v12 = ["1.2"], v12to13 = ["1.2", "1.3"], v11to13 = ["1.1", "1.2", "1.3"]
    static let v10to13 = ["1.0", "1.1", "1.2", "1.3"], v11to12 = ["1.1", "1.2"], v10to12 = ["1.0", "1.1", "1.2"]

    static func elb(_ name: String, _ versions: [String], _ ciphers: [String]) -> ExpectedPolicy {
        ExpectedPolicy(name: name, versions: versions, ciphers: ciphers, serverPreference: true)
    }

    /// Every ELB policy of the reference tables this OpenSSL can honour (TLS-1-0-2015-04 needs DES-CBC3-SHA, which
    /// Debian's OpenSSL 3.0 does not build).
    static let elbTLS13: [ExpectedPolicy] = [
        elb("ELBSecurityPolicy-TLS13-1-3-2021-06", v13, []),
        elb("ELBSecurityPolicy-TLS13-1-2-Res-2021-06", v12to13, g4),
        elb("ELBSecurityPolicy-TLS13-1-2-2021-06", v12to13, g4 + s4),
        elb("ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06", v12to13, g4 + s4 + r4),
        elb("ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06", v12to13, all5),
        elb("ELBSecurityPolicy-TLS13-1-1-2021-06", v11to13, all5),
        elb("ELBSecurityPolicy-TLS13-1-0-2021-06", v10to13, all5),
    ]
    static let elbOlder: [ExpectedPolicy] = [
        elb("ELBSecurityPolicy-FS-1-2-Res-2020-10", v12, g4),
        elb("ELBSecurityPolicy-FS-1-2-Res-2019-08", v12, g4 + s4),
        elb("ELBSecurityPolicy-FS-1-2-2019-08", v12, g4 + s4 + c4),
        elb("ELBSecurityPolicy-FS-1-1-2019-08", v11to12, g4 + s4 + c4),
        elb("ELBSecurityPolicy-FS-2018-06", v10to12, g4 + s4 + c4),
        elb("ELBSecurityPolicy-2016-08", v10to12, all5),
        elb("ELBSecurityPolicy-TLS-1-2-2017-01", v12, g4 + s4 + r4),
        elb("ELBSecurityPolicy-TLS-1-2-Ext-2018-06", v12, all5),
        elb("ELBSecurityPolicy-TLS-1-1-2017-01", v11to12, all5),
    ]

    static let ecdheAEAD = [
        "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384",
        "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
    ]
    static let dhe = ["DHE-RSA-AES128-GCM-SHA256", "DHE-RSA-AES256-GCM-SHA384", "DHE-RSA-CHACHA20-POLY1305"]
    /// Mozilla old 5.8: old 5.7 without DHE; DES-CBC3-SHA dropped by the alias on this OpenSSL.
    static let old58 =
        ecdheAEAD + [
            "ECDHE-ECDSA-AES128-SHA256", "ECDHE-RSA-AES128-SHA256", "ECDHE-ECDSA-AES128-SHA", "ECDHE-RSA-AES128-SHA",
            "ECDHE-ECDSA-AES256-SHA384", "ECDHE-RSA-AES256-SHA384", "ECDHE-ECDSA-AES256-SHA", "ECDHE-RSA-AES256-SHA",
            "AES128-GCM-SHA256", "AES256-GCM-SHA384", "AES128-SHA256", "AES256-SHA256", "AES128-SHA", "AES256-SHA",
        ]

    /// Mozilla 5.7 presets this OpenSSL honours, and the unversioned aliases (6.0 / 5.8 minus ML-KEM and 3DES).
    static let mozilla: [ExpectedPolicy] = [
        ExpectedPolicy(name: "mozilla-modern@5.7", versions: v13, ciphers: [], serverPreference: false),
        ExpectedPolicy(
            name: "mozilla-intermediate@5.7", versions: v12to13, ciphers: ecdheAEAD + dhe, serverPreference: false),
        ExpectedPolicy(name: "mozilla-modern", versions: v13, ciphers: [], serverPreference: false),
        ExpectedPolicy(name: "mozilla-intermediate", versions: v12to13, ciphers: ecdheAEAD, serverPreference: false),
        ExpectedPolicy(name: "mozilla-old", versions: v10to13, ciphers: old58, serverPreference: true),
        ExpectedPolicy(
            name: "old57-degraded", versions: v10to13, ciphers: old57Degraded, serverPreference: true, dhBits: 1024),
    ]

    /// `[[policy]]` tables the Mozilla group needs: old 5.7 with 3DES dropped (`allow_degraded`).
    static let mozillaCustom = [
        "[[policy]]", "name = \"old57-degraded\"", "base = \"mozilla-old@5.7\"", "allow_degraded = true",
    ]

    /// Mozilla old 5.7 in Mozilla's order, without DES-CBC3-SHA.
    static let old57Degraded =
        ecdheAEAD + dhe + [
            "ECDHE-ECDSA-AES128-SHA256", "ECDHE-RSA-AES128-SHA256", "ECDHE-ECDSA-AES128-SHA", "ECDHE-RSA-AES128-SHA",
            "ECDHE-ECDSA-AES256-SHA384", "ECDHE-RSA-AES256-SHA384", "ECDHE-ECDSA-AES256-SHA", "ECDHE-RSA-AES256-SHA",
            "DHE-RSA-AES128-SHA256", "DHE-RSA-AES256-SHA256", "AES128-GCM-SHA256", "AES256-GCM-SHA384",
            "AES128-SHA256", "AES256-SHA256", "AES128-SHA", "AES256-SHA",
        ]

    /// Ciphers outside most policies, tried against each one (those in the policy are skipped).
    static let outsideSample = [
        "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305", "DHE-RSA-AES128-GCM-SHA256",
        "DHE-RSA-AES256-SHA256", "ECDHE-RSA-AES128-SHA", "AES128-SHA", "AES256-GCM-SHA384", "ECDHE-ECDSA-AES256-SHA384",
        "CAMELLIA128-SHA", "ECDHE-ECDSA-AES128-CCM", "ECDHE-ARIA128-GCM-SHA256", "AES128-CCM",
    ]
    static let tls13Suites = ["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"]
}
