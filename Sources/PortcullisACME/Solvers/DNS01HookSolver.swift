import Foundation
import Logging
import PortcullisCore
import PortcullisTLS

/// DNS-01 (RFC 8555 §8.4) through the operator's hook: `HOOK present FQDN VALUE` before the CA is
/// told, `HOOK cleanup FQDN VALUE` once the order is over. FQDN is `_acme-challenge.<domain>.` with the
/// trailing dot (as lego's `exec` provider passes it); VALUE is base64url(SHA-256(key authorization)).
final class DNS01HookSolver: ChallengeSolver {
    let type = "dns-01"
    private let hook: String
    private let logger: Logger
    private var published: [(fqdn: String, value: String)] = []
    /// How long one hook run may take.
    static let timeout: Double = 120

    /// A solver running `hook`.
    init(hook: String, logger: Logger = Logger(label: "portcullis.acme")) {
        self.hook = hook
        self.logger = logger
    }

    /// The TXT record name for `identifier` (a wildcard's `*.` is dropped, RFC 8555 §8.4).
    static func recordName(_ identifier: String) -> String {
        let base = identifier.hasPrefix("*.") ? String(identifier.dropFirst(2)) : identifier
        return "_acme-challenge." + base + "."
    }

    /// The TXT record value for `keyAuthorization`.
    static func recordValue(_ keyAuthorization: String) -> String {
        Base64URL.encode(Digest.sha256(Array(keyAuthorization.utf8)))
    }

    func present(identifier: String, token: String, keyAuthorization: String) throws {
        let record = (Self.recordName(identifier), Self.recordValue(keyAuthorization))
        try self.run("present", record.0, record.1)
        self.published.append(record)
    }

    func cleanUp() {
        for record in self.published {
            do { try self.run("cleanup", record.fqdn, record.value) } catch {
                self.logger.warning("dns hook cleanup failed", metadata: ["fqdn": "\(record.fqdn)", "error": "\(error)"])
            }
        }
        self.published = []
    }

    /// Runs the hook (no shell; argv[0] looked up in PATH) with a deadline; a non-zero exit is an
    /// error carrying the start of its stderr.
    private func run(_ action: String, _ fqdn: String, _ value: String) throws {
        let result: SubprocessResult
        do {
            result = try Subprocess.run(
                [self.hook, action, fqdn, value], environment: ProcessInfo.processInfo.environment, timeout: Self.timeout)
        } catch {
            throw ACMEError.local("dns_hook \(action) \(fqdn): \(error)")
        }
        guard result.succeeded else {
            throw ACMEError.local("dns_hook \(action) \(fqdn) \(result.termination): \(result.errorText())")
        }
    }
}
