/// A policy ready to apply: the values, plus what was dropped because the linked OpenSSL lacks it.
public struct ResolvedPolicy: Sendable, Equatable {
    /// The effective values (name as referenced, e.g. the alias).
    public var policy: SecurityPolicy
    /// One sentence per dropped feature ("dropped group X25519MLKEM768: needs OpenSSL 3.5"); empty when
    /// the policy is honoured in full.
    public var degradations: [String]
}

/// Turns policy names into `ResolvedPolicy` values: presets, unversioned aliases (which quietly drop
/// what this OpenSSL lacks) and custom `[[policy]]` definitions layered on a base.
public struct PolicyResolver: Sendable {
    /// Custom definitions by name.
    private let custom: [String: CustomPolicyDefinition]

    /// A resolver that knows the catalogue plus `custom`.
    public init(custom: [CustomPolicyDefinition] = []) {
        self.custom = Dictionary(custom.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Every name this resolver accepts.
    public var knownNames: [String] { PolicyCatalogue.names + self.custom.keys.sorted() }

    /// Resolves `name`; throws when it is unknown, invalid, or needs what this OpenSSL lacks.
    public func resolve(_ name: String) throws(PolicyError) -> ResolvedPolicy {
        try self.resolve(name, allowDegraded: false, depth: 0)
    }

    /// Resolves `name`; `allowDegraded` when it is the base of a `[[policy]]` that allows degrading,
    /// `depth` counts nested bases (a cycle ends at 8).
    func resolve(_ name: String, allowDegraded: Bool, depth: Int) throws(PolicyError) -> ResolvedPolicy {
        if let definition = self.custom[name] {
            guard depth < 8 else { throw .invalid(policy: name, key: "base", message: "base policies form a cycle") }
            return try self.resolveCustom(definition, depth: depth)
        }
        if let target = PolicyCatalogue.aliasTarget(name), let preset = PolicyCatalogue.preset(named: target) {
            var resolved = Self.degrade(preset)
            resolved.policy.name = name
            resolved.policy.source += " (alias of \(target))"
            return resolved
        }
        guard let preset = PolicyCatalogue.preset(named: name) else {
            throw .unknownPolicy(name, known: self.knownNames)
        }
        let missing = Self.missingFeatures(preset)
        guard missing.isEmpty || allowDegraded else { throw .missingFeatures(policy: name, missing.map(\.reason)) }
        return Self.degrade(preset)
    }

    /// `policy` minus what this OpenSSL lacks, with one note per dropped item.
    static func degrade(_ policy: SecurityPolicy) -> ResolvedPolicy {
        var policy = policy
        let missing = Self.missingFeatures(policy)
        let dropped = Set(missing.map(\.item))
        policy.groups.removeAll { dropped.contains($0) }
        policy.ciphers.removeAll { dropped.contains($0) }
        return ResolvedPolicy(policy: policy, degradations: missing.map { "dropped \($0.reason)" })
    }

    /// Names in `policy` that are known (they appear in a preset) but missing from this OpenSSL.
    static func missingFeatures(_ policy: SecurityPolicy) -> [(item: String, reason: String)] {
        var missing: [(String, String)] = []
        for group in policy.groups where !OpenSSLCapabilities.supportsGroup(group) {
            let needs = OpenSSLCapabilities.newerGroups[group].map { "needs OpenSSL \($0)" } ?? "not supported"
            missing.append((group, "group \(group) (\(needs))"))
        }
        for cipher in policy.ciphers where !OpenSSLCapabilities.cipherNames.contains(cipher) {
            missing.append((cipher, "cipher \(cipher) (not built into this OpenSSL)"))
        }
        return missing
    }

    /// Whether `name` appears in some preset (so a missing one is a missing feature, not a typo).
    static func isCatalogueName(_ name: String) -> Bool {
        PolicyCatalogue.presets.contains { $0.ciphers.contains(name) || $0.groups.contains(name) }
            || OpenSSLCapabilities.newerGroups[name] != nil
    }
}
