import Logging
import Synchronization

/// Logs, once per process and policy, what an alias (or `allow_degraded` policy) dropped because the
/// linked OpenSSL lacks it, e.g. X25519MLKEM768 on OpenSSL 3.0.
public enum PolicyDegradationLog {
    private static let logged = Mutex<Set<String>>([])

    /// Logs `resolved.degradations` the first time this policy name is seen.
    public static func noteOnce(_ resolved: ResolvedPolicy) {
        guard !resolved.degradations.isEmpty else { return }
        let first = self.logged.withLock { $0.insert(resolved.policy.name).inserted }
        guard first else { return }
        Logger(label: "portcullis.tls").notice(
            "security policy degraded for this OpenSSL",
            metadata: [
                "policy": "\(resolved.policy.name)", "openssl": "\(OpenSSLCapabilities.versionText)",
                "dropped": "\(resolved.degradations.joined(separator: "; "))",
            ])
    }
}
