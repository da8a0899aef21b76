import PortcullisTLS
import Testing

/// The catalogue against docs/REFERENCE.md, policy reference data: every ELB name, Mozilla 5.7/5.8/6.0, aliases to the newest.
@Suite struct PolicyCatalogueTests {
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

    /// (name, min, max, ciphers) straight from the reference tables (docs/REFERENCE.md).
    static let elb: [(String, TLSProtocolVersion, TLSProtocolVersion, [String])] = [
        ("ELBSecurityPolicy-TLS13-1-3-2021-06", .tls1_3, .tls1_3, []),
        ("ELBSecurityPolicy-TLS13-1-2-Res-2021-06", .tls1_2, .tls1_3, g4),
        ("ELBSecurityPolicy-TLS13-1-2-2021-06", .tls1_2, .tls1_3, g4 + s4),
        ("ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06", .tls1_2, .tls1_3, g4 + s4 + r4),
        ("ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06", .tls1_2, .tls1_3, g4 + s4 + c4 + r4 + rc2),
        ("ELBSecurityPolicy-TLS13-1-1-2021-06", .tls1_1, .tls1_3, g4 + s4 + c4 + r4 + rc2),
        ("ELBSecurityPolicy-TLS13-1-0-2021-06", .tls1_0, .tls1_3, g4 + s4 + c4 + r4 + rc2),
        ("ELBSecurityPolicy-FS-1-2-Res-2020-10", .tls1_2, .tls1_2, g4),
        ("ELBSecurityPolicy-FS-1-2-Res-2019-08", .tls1_2, .tls1_2, g4 + s4),
        ("ELBSecurityPolicy-FS-1-2-2019-08", .tls1_2, .tls1_2, g4 + s4 + c4),
        ("ELBSecurityPolicy-FS-1-1-2019-08", .tls1_1, .tls1_2, g4 + s4 + c4),
        ("ELBSecurityPolicy-FS-2018-06", .tls1_0, .tls1_2, g4 + s4 + c4),
        ("ELBSecurityPolicy-2016-08", .tls1_0, .tls1_2, g4 + s4 + c4 + r4 + rc2),
        ("ELBSecurityPolicy-TLS-1-2-2017-01", .tls1_2, .tls1_2, g4 + s4 + r4),
        ("ELBSecurityPolicy-TLS-1-2-Ext-2018-06", .tls1_2, .tls1_2, g4 + s4 + c4 + r4 + rc2),
        ("ELBSecurityPolicy-TLS-1-1-2017-01", .tls1_1, .tls1_2, g4 + s4 + c4 + r4 + rc2),
        ("ELBSecurityPolicy-TLS-1-0-2015-04", .tls1_0, .tls1_2, g4 + s4 + c4 + r4 + rc2 + ["DES-CBC3-SHA"]),
    ]

    @Test func everyELBPolicyMatchesTheTable() throws {
        for (name, min, max, ciphers) in Self.elb {
            let policy = try #require(PolicyCatalogue.preset(named: name), "\(name)")
            #expect(policy.minVersion == min && policy.maxVersion == max, "\(name)")
            #expect(policy.ciphers == ciphers, "\(name): ciphers in the AWS order")
            #expect(policy.serverPreference, "\(name): AWS uses server preference")
            #expect(policy.ciphersuites == (max == .tls1_3 ? SecurityPolicy.tls13Suites : []), "\(name)")
            #expect(policy.securityLevel == (min < .tls1_2 ? 0 : nil), "\(name): TLS 1.0/1.1 need level 0")
        }
        #expect(PolicyCatalogue.presets.filter { $0.name.hasPrefix("ELB") }.count == Self.elb.count)
    }

    @Test func mozillaProfiles() throws {
        let modern57 = try #require(PolicyCatalogue.preset(named: "mozilla-modern@5.7"))
        #expect(modern57.versions == [.tls1_3] && modern57.ciphers.isEmpty && !modern57.serverPreference)
        #expect(modern57.groups == ["X25519", "prime256v1", "secp384r1"] && modern57.hsts == "max-age=63072000")
        let intermediate57 = try #require(PolicyCatalogue.preset(named: "mozilla-intermediate@5.7"))
        #expect(intermediate57.ciphers.count == 9 && intermediate57.ciphers.last == "DHE-RSA-CHACHA20-POLY1305")
        #expect(intermediate57.dhParameters == .ffdhe2048)
        let old57 = try #require(PolicyCatalogue.preset(named: "mozilla-old@5.7"))
        #expect(old57.ciphers.count == 26 && old57.ciphers.last == "DES-CBC3-SHA" && old57.serverPreference)
        #expect(old57.minVersion == .tls1_0 && old57.securityLevel == 0 && old57.dhParameters == .dh1024)
        let old58 = try #require(PolicyCatalogue.preset(named: "mozilla-old@5.8"))
        #expect(!old58.ciphers.contains { $0.hasPrefix("DHE-") } && old58.dhParameters == .ffdhe2048)
        for name in ["mozilla-modern@6.0", "mozilla-intermediate@6.0", "mozilla-old@5.8"] {
            #expect(PolicyCatalogue.preset(named: name)?.groups.first == "X25519MLKEM768", "\(name)")
        }
        let intermediate60 = try #require(PolicyCatalogue.preset(named: "mozilla-intermediate@6.0"))
        #expect(intermediate60.ciphers == Array(intermediate57.ciphers.prefix(6)))
        #expect(PolicyCatalogue.preset(named: "mozilla-old@6.0") == nil, "6.0 has no old profile")
    }

    @Test func aliasesPointAtTheNewestVersion() {
        #expect(PolicyCatalogue.aliasTarget("mozilla-modern") == "mozilla-modern@6.0")
        #expect(PolicyCatalogue.aliasTarget("mozilla-intermediate") == "mozilla-intermediate@6.0")
        #expect(PolicyCatalogue.aliasTarget("mozilla-old") == "mozilla-old@5.8")
    }
}
