import PortcullisTLS
import Testing

/// What this OpenSSL (3.0, no ML-KEM, no 3DES) can honour, how aliases degrade, and custom policies.
@Suite struct PolicyResolverTests {
    @Test(arguments: [
        "mozilla-modern@6.0", "mozilla-intermediate@6.0", "mozilla-old@5.8", "mozilla-old@5.7",
        "ELBSecurityPolicy-TLS-1-0-2015-04",
    ])
    func versionedPresetsThisOpenSSLLacksAreRefused(name: String) {
        #expect(throws: PolicyError.self) { try PolicyResolver().resolve(name) }
    }

    @Test func refusalNamesTheMissingFeature() throws {
        let error = #expect(throws: PolicyError.self) { try PolicyResolver().resolve("mozilla-intermediate@6.0") }
        #expect(error?.description.contains("X25519MLKEM768") == true)
        #expect(error?.description.contains("allow_degraded") == true)
    }

    @Test func aliasDropsOnlyWhatIsMissing() throws {
        let resolved = try PolicyResolver().resolve("mozilla-intermediate")
        #expect(resolved.policy.groups == ["X25519", "prime256v1", "secp384r1"])
        #expect(resolved.policy.ciphers.count == 6)
        #expect(resolved.degradations.count == 1 && resolved.degradations[0].contains("X25519MLKEM768"))
        let old = try PolicyResolver().resolve("mozilla-old")
        #expect(!old.policy.ciphers.contains("DES-CBC3-SHA") && old.policy.ciphers.count == 20)
    }

    @Test func everyOtherPresetIsHonouredInFull() throws {
        let refused: Set = [
            "mozilla-modern@6.0", "mozilla-intermediate@6.0", "mozilla-old@5.8", "mozilla-old@5.7",
            "ELBSecurityPolicy-TLS-1-0-2015-04",
        ]
        for preset in PolicyCatalogue.presets where !refused.contains(preset.name) {
            let resolved = try PolicyResolver().resolve(preset.name)
            #expect(resolved.degradations.isEmpty && resolved.policy == preset, "\(preset.name)")
        }
    }

    @Test func customPolicyOverridesItsBase() throws {
        var custom = CustomPolicyDefinition(name: "corp", base: "ELBSecurityPolicy-TLS13-1-2-2021-06")
        custom.ciphers = ["ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384"]
        custom.maxVersion = .tls1_2
        custom.serverPreference = false
        custom.hsts = "max-age=1"
        let policy = try PolicyResolver(custom: [custom]).resolve("corp").policy
        #expect(policy.ciphers == custom.ciphers && policy.versions == [.tls1_2] && !policy.serverPreference)
        #expect(policy.hsts == "max-age=1" && policy.groups == ["X25519", "prime256v1", "secp384r1"])
    }

    @Test(arguments: [
        ("ciphers", "NOPE-CIPHER"), ("ciphersuites", "TLS_NOPE"), ("groups", "curve1"), ("sigalgs", "NOPE+SHA1"),
    ])
    func unknownNamesAreNamed(key: String, name: String) {
        var custom = CustomPolicyDefinition(name: "bad")
        switch key {
        case "ciphers": custom.ciphers = ["ECDHE-RSA-AES128-GCM-SHA256", name]
        case "ciphersuites": custom.ciphersuites = [name]
        case "groups": custom.groups = [name]
        default: custom.sigalgs = [name]
        }
        let error = #expect(throws: PolicyError.self) { try PolicyResolver(custom: [custom]).resolve("bad") }
        #expect(error?.key == key)
        #expect(error?.description.contains(name) == true)
    }

    @Test func allowDegradedKeepsTheRest() throws {
        let refused = CustomPolicyDefinition(name: "pq", base: "mozilla-modern@6.0")
        #expect(throws: PolicyError.self) { try PolicyResolver(custom: [refused]).resolve("pq") }
        let allowed = CustomPolicyDefinition(name: "pq", base: "mozilla-modern@6.0", allowDegraded: true)
        let resolved = try PolicyResolver(custom: [allowed]).resolve("pq")
        #expect(resolved.policy.groups == ["X25519", "prime256v1", "secp384r1"])
        #expect(!resolved.degradations.isEmpty)
    }

    @Test func baseCyclesAreReported() {
        let a = CustomPolicyDefinition(name: "a", base: "b")
        let b = CustomPolicyDefinition(name: "b", base: "a")
        let error = #expect(throws: PolicyError.self) { try PolicyResolver(custom: [a, b]).resolve("a") }
        #expect(error?.description.contains("cycle") == true)
        let shadow = CustomPolicyDefinition(name: "mozilla-modern@5.7")
        #expect(throws: PolicyError.self) { try PolicyResolver(custom: [shadow]).resolve("mozilla-modern@5.7") }
    }

    @Test func tls10MinimumMeansSecurityLevelZero() throws {
        var custom = CustomPolicyDefinition(name: "legacy", base: "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06")
        custom.minVersion = .tls1_0
        #expect(try PolicyResolver(custom: [custom]).resolve("legacy").policy.securityLevel == 0)
    }

    @Test func mTLSNeedsACAFile() {
        var custom = CustomPolicyDefinition(name: "m")
        custom.clientAuth = .required
        let error = #expect(throws: PolicyError.self) { try PolicyResolver(custom: [custom]).resolve("m") }
        #expect(error?.key == "client_ca_file")
    }

    @Test func settingsApplyToAContext() throws {
        for preset in PolicyCatalogue.presets {
            let policy =
                (try? PolicyResolver().resolve(preset.name).policy) ?? PolicyCatalogue.presetDegraded(preset.name)
            let chainAndKey = try TestCertificates.ecdsa()
            _ = try SiteTLSContext(
                chainPEM: chainAndKey.0, keyPEM: chainAndKey.1, certificateID: 0, sessionIDContext: "x",
                policy: TLSPolicySettings(policy))
        }
    }
}

extension PolicyCatalogue {
    /// A refused preset with its missing features dropped, as `allow_degraded` would.
    static func presetDegraded(_ name: String) -> SecurityPolicy {
        let custom = CustomPolicyDefinition(name: "degraded-" + name, base: name, allowDegraded: true)
        return (try? PolicyResolver(custom: [custom]).resolve(custom.name).policy) ?? PolicyCatalogue.preset(
            named: name)!
    }
}
