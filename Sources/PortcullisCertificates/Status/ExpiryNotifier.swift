import Foundation
import PortcullisConfig
import PortcullisCore

/// Sends one expiry notification: the webhook POST or the command run. Blocking; call from a
/// background queue, never from an event loop.
public enum ExpiryNotifier {
    /// The certificates of `store` inside `config`'s warning window, read off the data path.
    /// - Parameter only: check just these names (a store change); nil checks the whole store.
    public static func facts(
        store: CertificateStore, config: ProxyConfig, only: Set<String>? = nil, now: Date = Date()
    ) -> [ExpiryFact] {
        let window = Double(config.tls.expiryWarningDays) * 86_400
        var facts: [ExpiryFact] = []
        for name in only.map({ $0.sorted() }) ?? store.names() {
            guard let certificate = try? store.loadFromDisk(name: name),
                let summary = try? CertificateSummary(chainPEM: certificate.chainPEM),
                summary.notAfter < now.addingTimeInterval(window), !certificate.metadata.isPending
            else { continue }
            facts.append(ExpiryFact(
                name: name, domains: summary.dnsNames, daysLeft: CertificateClock.daysLeft(until: summary.notAfter, now: now),
                notAfter: summary.notAfter, status: summary.notAfter < now ? "expired" : "expiring"))
        }
        return facts
    }

    /// POSTs the fact's JSON to `url`; throws a sentence on failure (no 2xx within the timeout).
    public static func postWebhook(_ fact: ExpiryFact, url: String, timeout: Double = 10) throws {
        let status = try WebhookClient.post(url: url, body: fact.jsonBody(), timeout: timeout)
        guard (200..<300).contains(status) else { throw WebhookError("the webhook answered HTTP \(status)") }
    }

    /// Runs `/bin/sh -c command` (the documented shell form) with the fact in `PORTCULLIS_CERT_*`;
    /// throws unless it exits 0 in time.
    public static func runCommand(_ fact: ExpiryFact, command: String, timeout: Double = 60) throws {
        var environment = ProcessInfo.processInfo.environment
        environment.merge(fact.environment) { _, new in new }
        let result: SubprocessResult
        do {
            result = try Subprocess.run(["/bin/sh", "-c", command], environment: environment, timeout: timeout)
        } catch {
            throw WebhookError("expiry_command: \(error)")
        }
        guard result.succeeded else {
            let detail = result.errorText()
            throw WebhookError("expiry_command \(result.termination)" + (detail.isEmpty ? "" : ": " + detail))
        }
    }
}

/// A failed webhook or command, as one sentence.
public struct WebhookError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
