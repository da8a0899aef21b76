/// The built-in security policies, as data (docs/REFERENCE.md): Mozilla's Server Side TLS profiles
/// at guidelines 5.7, 5.8 and 6.0, and the AWS ELB policies. One value per preset, in the order
/// `portcullis policies list` shows them. Unversioned Mozilla names are aliases of the newest version.
public enum PolicyCatalogue {
    /// Every preset, Mozilla first.
    public static let presets: [SecurityPolicy] = mozilla + elb

    /// Unversioned names and the versioned preset they stand for (the newest guideline).
    public static let aliases: [(alias: String, target: String)] = [
        ("mozilla-modern", "mozilla-modern@6.0"),
        ("mozilla-intermediate", "mozilla-intermediate@6.0"),
        ("mozilla-old", "mozilla-old@5.8"),
    ]

    /// Every name `policy = "..."` accepts without a `[[policy]]` table: presets and aliases.
    public static var names: [String] { self.presets.map(\.name) + self.aliases.map(\.alias) }

    /// The preset called `name` (versioned names only; see `aliasTarget`).
    public static func preset(named name: String) -> SecurityPolicy? {
        self.byName[name]
    }

    /// The versioned name an alias stands for, or nil when `name` is not an alias.
    public static func aliasTarget(_ name: String) -> String? {
        self.aliases.first { $0.alias == name }?.target
    }

    private static let byName: [String: SecurityPolicy] = Dictionary(
        presets.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })

    // MARK: Mozilla

    static let mozillaHSTS = "max-age=63072000"
    static let groups57 = ["X25519", "prime256v1", "secp384r1"]
    static let groups60 = ["X25519MLKEM768", "X25519", "prime256v1", "secp384r1"]
    /// The six ECDHE AEAD ciphers (Mozilla intermediate 5.8/6.0).
    static let ecdheAEAD = [
        "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384",
        "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
    ]
    static let dheAEAD = ["DHE-RSA-AES128-GCM-SHA256", "DHE-RSA-AES256-GCM-SHA384", "DHE-RSA-CHACHA20-POLY1305"]
    /// Mozilla old 5.7, in Mozilla's order.
    static let old57Ciphers =
        ecdheAEAD + dheAEAD + [
            "ECDHE-ECDSA-AES128-SHA256", "ECDHE-RSA-AES128-SHA256", "ECDHE-ECDSA-AES128-SHA", "ECDHE-RSA-AES128-SHA",
            "ECDHE-ECDSA-AES256-SHA384", "ECDHE-RSA-AES256-SHA384", "ECDHE-ECDSA-AES256-SHA", "ECDHE-RSA-AES256-SHA",
            "DHE-RSA-AES128-SHA256", "DHE-RSA-AES256-SHA256", "AES128-GCM-SHA256", "AES256-GCM-SHA384",
            "AES128-SHA256", "AES256-SHA256", "AES128-SHA", "AES256-SHA", "DES-CBC3-SHA",
        ]

    static let mozilla: [SecurityPolicy] = [
        SecurityPolicy(
            name: "mozilla-modern@5.7", source: "Mozilla Server Side TLS 5.7, modern", minVersion: .tls1_3,
            maxVersion: .tls1_3, ciphers: [], groups: groups57, serverPreference: false, hsts: mozillaHSTS),
        SecurityPolicy(
            name: "mozilla-intermediate@5.7", source: "Mozilla Server Side TLS 5.7, intermediate",
            minVersion: .tls1_2, maxVersion: .tls1_3, ciphers: ecdheAEAD + dheAEAD, groups: groups57,
            serverPreference: false, dhParameters: .ffdhe2048, hsts: mozillaHSTS),
        SecurityPolicy(
            name: "mozilla-old@5.7", source: "Mozilla Server Side TLS 5.7, old", minVersion: .tls1_0,
            maxVersion: .tls1_3, ciphers: old57Ciphers, groups: groups57, serverPreference: true,
            dhParameters: .dh1024, hsts: mozillaHSTS, securityLevel: 0),
        SecurityPolicy(
            name: "mozilla-old@5.8", source: "Mozilla Server Side TLS 5.8, old (no DHE ciphers, DH 2048)",
            minVersion: .tls1_0, maxVersion: .tls1_3, ciphers: old57Ciphers.filter { !$0.hasPrefix("DHE-") },
            groups: groups60, serverPreference: true, dhParameters: .ffdhe2048, hsts: mozillaHSTS, securityLevel: 0),
        SecurityPolicy(
            name: "mozilla-modern@6.0", source: "Mozilla Server Side TLS 6.0, modern", minVersion: .tls1_3,
            maxVersion: .tls1_3, ciphers: [], groups: groups60, serverPreference: false, hsts: mozillaHSTS),
        SecurityPolicy(
            name: "mozilla-intermediate@6.0", source: "Mozilla Server Side TLS 6.0, intermediate",
            minVersion: .tls1_2, maxVersion: .tls1_3, ciphers: ecdheAEAD, groups: groups60,
            serverPreference: false, hsts: mozillaHSTS),
    ]
}
