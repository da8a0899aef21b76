/// `[[policy]]` tables: the base's values, each set key replacing the base's, then validation.
extension PolicyResolver {
    func resolveCustom(_ definition: CustomPolicyDefinition, depth: Int) throws(PolicyError) -> ResolvedPolicy {
        let name = definition.name
        guard PolicyCatalogue.preset(named: name) == nil, PolicyCatalogue.aliasTarget(name) == nil else {
            throw .invalid(
                policy: name, key: "name", message: "a [[policy]] cannot reuse the name of a built-in preset")
        }
        let baseName = definition.base ?? "mozilla-intermediate"
        var resolved: ResolvedPolicy
        do {
            resolved = try self.resolve(baseName, allowDegraded: definition.allowDegraded, depth: depth + 1)
        } catch .unknownPolicy(let unknown, let known) {
            throw .invalid(
                policy: name, key: "base", message: PolicyError.unknownPolicy(unknown, known: known).description)
        } catch .missingFeatures(let base, let missing) where base == baseName {
            throw .invalid(
                policy: name, key: "base",
                message: "base \"\(base)\" cannot be fully honoured by "
                    + "\(OpenSSLCapabilities.versionText): \(missing.joined(separator: "; ")); "
                    + "set allow_degraded = true in this [[policy]] to use it without")
        }
        var policy = resolved.policy
        policy.name = name
        policy.source = "[[policy]] based on \(baseName)"
        try Self.override(&policy, with: definition, degradations: &resolved.degradations)
        try Self.check(policy)
        resolved.policy = policy
        return resolved
    }

    /// Applies the keys the table sets; unknown names are errors, known-but-missing ones are dropped
    /// when the table allows degrading and refused otherwise.
    private static func override(
        _ policy: inout SecurityPolicy, with definition: CustomPolicyDefinition, degradations: inout [String]
    ) throws(PolicyError) {
        let name = definition.name
        if let value = definition.minVersion {
            policy.minVersion = value
            policy.securityLevel = value < .tls1_2 ? 0 : nil
        }
        if let value = definition.maxVersion { policy.maxVersion = value }
        if let values = definition.ciphers {
            policy.ciphers = try self.filter(
                values, key: "ciphers", what: "cipher", definition: definition,
                degradations: &degradations
            ) { OpenSSLCapabilities.cipherNames.contains($0) }
        }
        if let values = definition.ciphersuites {
            for suite in values where !OpenSSLCapabilities.suiteNames.contains(suite) {
                throw .invalid(
                    policy: name, key: "ciphersuites",
                    message: "unknown TLS 1.3 ciphersuite \"\(suite)\"; "
                        + "expected one of " + OpenSSLCapabilities.suiteNames.sorted().joined(separator: ", "))
            }
            policy.ciphersuites = values
        }
        if let values = definition.groups {
            policy.groups = try self.filter(
                values, key: "groups", what: "group", definition: definition,
                degradations: &degradations
            ) { OpenSSLCapabilities.supportsGroup($0) }
        }
        if let values = definition.sigalgs {
            for sigalg in values where !OpenSSLCapabilities.supportsSigalg(sigalg) {
                throw .invalid(policy: name, key: "sigalgs", message: "unknown signature algorithm \"\(sigalg)\"")
            }
            policy.sigalgs = values
        }
        if let value = definition.serverPreference { policy.serverPreference = value }
        if let value = definition.sessionTickets { policy.sessionTickets = value }
        if let value = definition.hsts { policy.hsts = value.isEmpty || value == "off" ? nil : value }
        if let value = definition.clientAuth { policy.clientAuth = value }
        if let value = definition.clientCAFile { policy.clientCAFile = value }
        if let value = definition.earlyData { policy.earlyData = value }
        if !policy.ciphers.contains(where: { $0.hasPrefix("DHE-") }) {
            policy.dhParameters = .none
        } else if policy.dhParameters == .none {
            policy.dhParameters = .ffdhe2048
        }
    }

    /// `values` with every name checked by `isAvailable`.
    private static func filter(
        _ values: [String], key: String, what: String, definition: CustomPolicyDefinition,
        degradations: inout [String], isAvailable: (String) -> Bool
    ) throws(PolicyError) -> [String] {
        var kept: [String] = []
        for value in values {
            if isAvailable(value) {
                kept.append(value)
            } else if !Self.isCatalogueName(value) {
                throw .invalid(policy: definition.name, key: key, message: "unknown \(what) \"\(value)\"")
            } else if definition.allowDegraded {
                degradations.append("dropped \(what) \(value) (not available in this OpenSSL)")
            } else {
                throw .missingFeatures(policy: definition.name, ["\(what) \(value) is not available in this OpenSSL"])
            }
        }
        return kept
    }

    /// Consistency rules a table must satisfy after overriding.
    private static func check(_ policy: SecurityPolicy) throws(PolicyError) {
        let name = policy.name
        guard policy.minVersion <= policy.maxVersion else {
            throw .invalid(
                policy: name, key: "min_version",
                message: "min_version \(policy.minVersion) is above "
                    + "max_version \(policy.maxVersion)")
        }
        if policy.allowsTLS12OrOlder && policy.ciphers.isEmpty {
            throw .invalid(
                policy: name, key: "ciphers",
                message: "no TLS 1.2 cipher is left, but min_version "
                    + "\(policy.minVersion) allows TLS 1.2 or older")
        }
        if policy.allowsTLS13 && policy.ciphersuites.isEmpty {
            throw .invalid(policy: name, key: "ciphersuites", message: "no TLS 1.3 ciphersuite, but max_version is 1.3")
        }
        if policy.groups.isEmpty {
            throw .invalid(policy: name, key: "groups", message: "no key-exchange group is left")
        }
        if policy.clientAuth != .none && policy.clientCAFile == nil {
            throw .invalid(
                policy: name, key: "client_ca_file",
                message: "client_auth = \"\(policy.clientAuth.rawValue)\" needs client_ca_file")
        }
    }
}
