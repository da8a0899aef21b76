import Foundation
import PortcullisConfig

/// What `portcullis validate` reports about the certificates a configuration serves (docs/REFERENCE.md, certificate store):
/// hosts a certificate does not cover, certificates expiring within the window, and wildcard
/// certificates serving sites that asked for no wildcard.
public enum CertificateConfigCheck {
    /// One finding, located at the `[[site]]` that uses the certificate.
    public struct Finding: Sendable, Equatable, CustomStringConvertible {
        public var file: String
        public var line: Int
        /// False for warnings (the proxy would still start).
        public var isError: Bool
        public var message: String

        /// `proxy.conf:12: [[site]].certificate: warning: …`.
        public var description: String {
            "\(self.file):\(self.line): [[site]].certificate: \(self.isError ? "" : "warning: ")\(self.message)"
        }
    }

    /// Findings for every site whose certificate is already in the store (generated ones may not be yet).
    public static func findings(config: ProxyConfig, store: CertificateStore, now: Date = Date()) -> [Finding] {
        var findings: [Finding] = []
        for site in config.sites {
            let name = site.certificateName
            func add(_ message: String, error: Bool = false) {
                findings.append(Finding(file: config.sourcePath, line: site.line, isError: error, message: message))
            }
            let certificate: StoredCertificate?
            do {
                certificate = try store.loadFromDisk(name: name)
            } catch {
                add("certificate \"\(name)\" cannot be served: \(error)", error: true)
                continue
            }
            guard let certificate else {
                if site.certificate != "self-signed" && site.certificate != "acme" {
                    add("certificate \"\(name)\" is not in the store (\(store.layout.certificateDirectory(name: name)))")
                }
                continue
            }
            do {
                let facts = try StoredCertificateCheck.check(certificate)
                for message in self.problems(site: site, name: name, summary: facts.summary, config: config, now: now) {
                    add(message)
                }
            } catch {
                add("certificate \"\(name)\" cannot be served: \(error)", error: true)
            }
        }
        return findings
    }

    /// Coverage, expiry and wildcard warnings for one site.
    static func problems(
        site: SiteConfig, name: String, summary: CertificateSummary, config: ProxyConfig, now: Date
    ) -> [String] {
        var messages: [String] = []
        let uncovered = site.hosts.filter { !HostCoverage.covers(summary.dnsNames, host: $0) }
        if !uncovered.isEmpty {
            messages.append(
                "certificate \"\(name)\" does not cover \(uncovered.joined(separator: ", ")) "
                    + "(it names \(summary.dnsNames.joined(separator: ", ")))")
        }
        let days = CertificateClock.daysLeft(until: summary.notAfter, now: now)
        if summary.notAfter < now {
            messages.append("certificate \"\(name)\" expired on \(CertificateClock.rfc3339(summary.notAfter))")
        } else if days < config.tls.expiryWarningDays {
            messages.append(
                "certificate \"\(name)\" expires in \(days) days (\(CertificateClock.rfc3339(summary.notAfter))), "
                    + "within expiry_warning_days = \(config.tls.expiryWarningDays)")
        }
        let wildcards = HostCoverage.wildcards(summary.dnsNames)
        if !wildcards.isEmpty && !site.hosts.contains(where: { $0.hasPrefix("*.") }) {
            messages.append(
                "certificate \"\(name)\" is a wildcard certificate (\(wildcards.joined(separator: ", "))) "
                    + "but the site lists no wildcard host")
        }
        return messages
    }
}
