import PortcullisTLS

extension SnapshotBuilder {
    /// The TLS context for planned certificates `names` under `policy`, with variants for listeners
    /// whose policy differs (identical policies share one variant); taken from `cache` when it holds
    /// one built from the same inputs. Also returns the cache keys used (the context's, then its variants').
    static func makeContext(
        plan: CertificatePlan, names: [String], id: Int, sessionIDContext: String, policy: ResolvedPolicy,
        listenerPolicies: [Int: ResolvedPolicy], cache: SiteContextCache?
    ) throws -> (context: SiteTLSContext, keys: [SiteContextCache.Key]) {
        let entries = names.map { name -> CertificatePlan.Entry in
            guard let entry = plan.entries[name] else { preconditionFailure("certificate \(name) was not planned") }
            return entry
        }
        let certificates = entries.map(\.certificate)
        do throws(TLSError) {
            var built: [String: (context: SiteTLSContext, key: SiteContextCache.Key?)] = [:]
            var variants: [Int: SiteTLSContext] = [:]
            var variantKeys: [Int: SiteContextCache.Key] = [:]
            for (index, listenerPolicy) in listenerPolicies.sorted(by: { $0.key < $1.key }) {
                let variant: (context: SiteTLSContext, key: SiteContextCache.Key?)
                if let shared = built[listenerPolicy.policy.name] {
                    variant = shared
                } else {
                    variant = try Self.context(
                        certificates, id: id, sessionIDContext: sessionIDContext, policy: listenerPolicy,
                        variants: [:], variantKeys: [:], cache: cache)
                    built[listenerPolicy.policy.name] = variant
                }
                variants[index] = variant.context
                variantKeys[index] = variant.key
            }
            let main = try Self.context(
                certificates, id: id, sessionIDContext: sessionIDContext, policy: policy, variants: variants,
                variantKeys: variantKeys, cache: cache)
            return (main.context, ([main.key] + built.values.map(\.key)).compactMap { $0 })
        } catch {
            let entry = entries[0]
            throw plan.error(entry.section, entry.line, names.joined(separator: "+"), .unusable(error.description))
        }
    }

    /// One context (and its cache key): reused from `cache` when the inputs match, else built from the
    /// build's shared parsed certificates and policy contexts.
    private static func context(
        _ certificates: [StoredCertificate], id: Int, sessionIDContext: String,
        policy: ResolvedPolicy, variants: [Int: SiteTLSContext], variantKeys: [Int: SiteContextCache.Key],
        cache: SiteContextCache?
    ) throws(TLSError) -> (context: SiteTLSContext, key: SiteContextCache.Key?) {
        // The policy is part of the session-ID context: OpenSSL resumes a TLS 1.2 session if the
        // client still offers its cipher, so a session must not carry a cipher into a stricter policy.
        let (fingerprint, settings) =
            cache?.prepared(policy) ?? (policy.policy.sessionFingerprint, TLSPolicySettings(policy.policy))
        // The client CA by content (the fingerprint only names its path): see `clientCASessionContext`.
        let clientCA = (cache ?? SiteContextCache()).clientCASessionContext(settings)
        let sessionIDContext = sessionIDContext + " policy " + fingerprint + clientCA
        guard let cache else {
            let pems = certificates.map { (chainPEM: $0.chainPEM, keyPEM: $0.keyPEM) }
            let context = try SiteTLSContext(
                certificates: pems, certificateID: id, sessionIDContext: sessionIDContext, policy: settings,
                listenerVariants: variants)
            return (context, nil)
        }
        let digests = certificates.map { cache.digest(of: $0) }
        let key = cache.key(
            digests: digests, certificateID: id, sessionIDContext: sessionIDContext, policy: settings,
            variants: variantKeys)
        let context = try cache.context(for: key) { () throws(TLSError) -> SiteTLSContext in
            var keys: [CertifiedKey] = []
            for (certificate, digest) in zip(certificates, digests) {
                keys.append(try cache.certifiedKey(digest, chainPEM: certificate.chainPEM, keyPEM: certificate.keyPEM))
            }
            return try SiteTLSContext(
                keys: keys, certificateID: id, sessionIDContext: sessionIDContext,
                policy: try cache.policyContext(settings), listenerVariants: variants)
        }
        return (context, key)
    }
}
