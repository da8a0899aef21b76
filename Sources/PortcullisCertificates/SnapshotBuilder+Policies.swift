import PortcullisConfig
import PortcullisTLS

/// The security policies of one configuration, resolved once per build: `[[policy]]` tables turned into
/// `CustomPolicyDefinition`s, every name resolved against the catalogue, and each problem reported as a
/// located config error (`proxy.conf:12: [[policy]].ciphers: … unknown cipher "FOO"`).
public struct PolicyTable {
    /// The configuration the names come from.
    public let config: ProxyConfig
    /// The resolver for the catalogue plus this configuration's `[[policy]]` tables.
    public let resolver: PolicyResolver
    private var cache: [String: ResolvedPolicy] = [:]

    /// Reads the `[[policy]]` tables of `config`.
    public init(config: ProxyConfig) {
        self.config = config
        self.resolver = PolicyResolver(custom: config.policies.map(Self.definition))
    }

    /// Every name a `policy` key may use here.
    public var knownNames: [String] { self.resolver.knownNames }

    /// The `[tls] default_policy`, resolved.
    public mutating func defaultPolicy() throws -> ResolvedPolicy {
        try self.resolve(self.config.tls.defaultPolicy, table: "[tls]", key: "default_policy", line: 0)
    }

    /// The policy of the listener at `index` (its own, else the default).
    public mutating func listenerPolicy(_ index: Int) throws -> ResolvedPolicy {
        let listener = self.config.listeners[index]
        guard let name = listener.policy else { return try self.defaultPolicy() }
        return try self.resolve(name, table: "[[listener]]", key: "policy", line: listener.line)
    }

    /// A site's own policy, or nil when it follows its listener's.
    public mutating func sitePolicy(_ site: SiteConfig) throws -> ResolvedPolicy? {
        guard let name = site.policy else { return nil }
        return try self.resolve(name, table: "[[site]]", key: "policy", line: site.line)
    }

    /// Resolves `name` as used at `table`.`key` on `line`; errors inside a `[[policy]]` are reported
    /// on that table's key.
    public mutating func resolve(_ name: String, table: String, key: String, line: Int) throws -> ResolvedPolicy {
        if let cached = self.cache[name] { return cached }
        do {
            let resolved = try self.resolver.resolve(name)
            PolicyDegradationLog.noteOnce(resolved)
            self.cache[name] = resolved
            return resolved
        } catch {
            throw self.located(error, name: name, table: table, key: key, line: line)
        }
    }

    /// The config error for `error`, placed on the `[[policy]]` key when the problem is inside one.
    private func located(_ error: PolicyError, name: String, table: String, key: String, line: Int) -> ConfigErrors {
        let file = self.config.sourcePath
        if case .invalid(let policyName, let policyKey, _) = error,
            let policy = self.config.policies.first(where: { $0.name == policyName })
        {
            return ConfigErrors([
                ConfigError(
                    file: file, line: policy.line(of: policyKey), key: "[[policy]].\(policyKey)",
                    message: error.description)
            ])
        }
        if case .missingFeatures(let policyName, _) = error,
            let policy = self.config.policies.first(where: { $0.name == policyName })
        {
            return ConfigErrors([
                ConfigError(file: file, line: policy.line, key: "[[policy]]", message: error.description)
            ])
        }
        return ConfigErrors([ConfigError(file: file, line: line, key: "\(table).\(key)", message: error.description)])
    }

    /// A `[[policy]]` in TLS terms (its values were type-checked by the loader).
    static func definition(_ policy: PolicyConfig) -> CustomPolicyDefinition {
        var definition = CustomPolicyDefinition(
            name: policy.name, base: policy.base, allowDegraded: policy.allowDegraded)
        definition.minVersion = policy.minVersion.flatMap(TLSProtocolVersion.init(label:))
        definition.maxVersion = policy.maxVersion.flatMap(TLSProtocolVersion.init(label:))
        definition.ciphers = policy.ciphers
        definition.ciphersuites = policy.ciphersuites
        definition.groups = policy.groups
        definition.sigalgs = policy.sigalgs
        definition.serverPreference = policy.serverPreference
        definition.sessionTickets = policy.sessionTickets
        definition.earlyData = policy.earlyData
        definition.hsts = policy.hsts
        definition.clientAuth = policy.clientAuth.flatMap(SecurityPolicy.ClientAuth.init(rawValue:))
        definition.clientCAFile = policy.clientCAFile
        return definition
    }

    /// The HSTS value for `site`: its own `hsts`, else that of the policy it names. `[tls] default_policy`
    /// and listener policies set TLS only, so a fresh install never pins browsers to HTTPS for two years.
    public mutating func hsts(for site: SiteConfig) throws -> String? {
        if let hsts = site.hsts { return hsts }
        return try self.sitePolicy(site)?.policy.hsts
    }
}
