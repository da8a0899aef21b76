import PortcullisCertificates
import PortcullisConfig
import PortcullisTLS

/// The security-policy part of `portcullis validate`: every policy name resolves (presets, aliases,
/// `[[policy]]` tables with valid cipher, suite and group names), and every site's certificate key
/// types can serve its policy (an RSA-only certificate under an ECDSA-only policy is an error).
enum PoliciesValidation {
    /// Loader options that reject unknown policy names (the `[[policy]]` names are added by the loader).
    static var loaderOptions: ConfigLoader.Options {
        ConfigLoader.Options(knownPolicies: Set(PolicyCatalogue.names))
    }

    /// Throws every problem found, as located config errors.
    static func check(_ config: ProxyConfig) throws {
        var table = PolicyTable(config: config)
        var errors: [ConfigError] = []
        func attempt<T>(_ body: () throws -> T) -> T? {
            do { return try body() } catch let error as ConfigErrors {
                errors += error.errors
            } catch {
                errors.append(ConfigError(file: config.sourcePath, line: 0, key: "", message: "\(error)"))
            }
            return nil
        }
        for policy in config.policies {
            _ = attempt { try table.resolve(policy.name, table: "[[policy]]", key: "name", line: policy.line) }
        }
        var listenerPolicies: [ResolvedPolicy] = []
        for (index, listener) in config.listeners.enumerated() where listener.tls {
            if let resolved = attempt({ try table.listenerPolicy(index) }) { listenerPolicies.append(resolved) }
        }
        for site in config.sites {
            guard let own = attempt({ try table.sitePolicy(site) }) else { continue }
            let policies = own.map { [$0] } ?? listenerPolicies
            let algorithms = self.keyAlgorithms(site, config: config)
            for policy in policies.map(\.policy) {
                if let problem = self.keyTypeProblem(policy, algorithms) {
                    errors.append(
                        ConfigError(
                            file: config.sourcePath, line: site.line, key: "[[site]].certificate", message: problem))
                }
            }
        }
        var seen = Set<ConfigError>()
        let unique = errors.filter { seen.insert($0).inserted }.sorted { $0.line < $1.line }
        if !unique.isEmpty { throw ConfigErrors(unique) }
    }

    /// Why certificates with `algorithms` cannot serve `policy`, or nil when they can.
    static func keyTypeProblem(_ policy: SecurityPolicy, _ algorithms: Set<TLSKeyAlgorithm>) -> String? {
        guard policy.allowsTLS12OrOlder, !algorithms.isEmpty else { return nil }
        let servable = policy.ciphers.filter { cipher in algorithms.contains { $0.canServe(cipher: cipher) } }
        guard servable.isEmpty else { return nil }
        let have = algorithms.map(\.rawValue).sorted().joined(separator: " and ")
        return "the certificate key type (\(have)) cannot serve any TLS 1.2 cipher of policy \"\(policy.name)\"; "
            + "add a certificate of another key type (certificate = [\"ec\", \"rsa\"] or key_types) "
            + "or change the policy"
    }

    /// The key algorithms a site's certificates have: from `key_types` for generated ones, from the
    /// store for imported ones (unknown when not in the store yet).
    static func keyAlgorithms(_ site: SiteConfig, config: ProxyConfig) -> Set<TLSKeyAlgorithm> {
        if site.certificate == "self-signed" || site.certificate == "acme" {
            let types = site.keyTypes.isEmpty ? ["ec256"] : site.keyTypes
            return Set(types.map { $0.hasPrefix("ec") ? TLSKeyAlgorithm.ecdsa : .rsa })
        }
        let store = CertificateStore(layout: StoreLayout(stateDir: config.server.stateDir))
        var algorithms = Set<TLSKeyAlgorithm>()
        for name in [site.certificate] + site.additionalCertificates {
            guard let stored = try? store.load(name: name),
                let summary = try? CertificateSummary(chainPEM: stored.chainPEM),
                let keyType = summary.keyType
            else { continue }
            algorithms.insert(keyType.rawValue.hasPrefix("ec") ? .ecdsa : .rsa)
        }
        return algorithms
    }
}
