import ArgumentParser
import Foundation
import Glibc
import Logging
import PortcullisACME
import PortcullisCertificates
import PortcullisConfig

/// `portcullis acme …`: the ACME account, and renewing or revoking a managed certificate by hand.
struct ACMECommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "acme", abstract: "Show the ACME account; renew or revoke an ACME certificate now.",
        subcommands: [ACMEAccountCommand.self, CertsRenewCommand.self, CertsRevokeCommand.self])
}

/// What the ACME commands share: the configuration, its `[acme]` settings and a worker.
struct ACMEOptions: ParsableArguments {
    @Option(name: .long, help: "Path to proxy.conf.")
    var config = "proxy.conf"

    /// The configuration and a worker for its `[acme]` section (exit 1 on errors).
    func worker() -> (ProxyConfig, ACMEWorker) {
        let config: ProxyConfig
        do { config = try ConfigLoader.load(path: self.config) } catch { ACMEOutput.fail("\(error)") }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .warning
            return handler
        }
        let worker = ACMEWorker(
            settings: config.acme ?? ACMESettings(), stateDir: config.server.stateDir, challenges: nil,
            logger: Logger(label: "portcullis.acme"))
        return (config, worker)
    }

    /// The ACME-managed certificate called `name` (or the site with host `name`).
    func managed(_ name: String, in config: ProxyConfig) -> ACMEManager.ManagedCertificate {
        let all = ACMEManager.managed(config)
        if let match = all.first(where: { $0.name == name || $0.domains.contains(name.lowercased()) }) { return match }
        let names = all.map(\.name).joined(separator: ", ")
        ACMEOutput.fail("no site with certificate = \"acme\" is called \"\(name)\"" + (names.isEmpty ? "" : " (ACME certificates: \(names))"))
    }
}

/// `portcullis acme account`: account URL, contact and key thumbprint.
struct ACMEAccountCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "account", abstract: "Register (or find) the ACME account and show it.")

    @OptionGroup var options: ACMEOptions

    func run() throws {
        let (config, worker) = self.options.worker()
        let client = ACMEOutput.run { try worker.ensureClient() }
        let settings = config.acme ?? ACMESettings()
        print("directory:  \(settings.directory)")
        print("account:    \(client.accountURL ?? "-")")
        print("contact:    \(settings.email.isEmpty ? "-" : "mailto:" + settings.email)")
        print("thumbprint: \(client.key.thumbprint)")
    }
}

/// `portcullis acme renew NAME` (also meant for `certs renew`): orders a new certificate now.
struct CertsRenewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "renew", abstract: "Renew an ACME certificate now (the running proxy answers HTTP-01).")

    @OptionGroup var options: ACMEOptions
    @Argument(help: "Certificate name (or one of its site's hosts).") var name: String

    func run() throws {
        let (config, worker) = self.options.worker()
        let certificate = self.options.managed(self.name, in: config)
        if let problem = Self.http01Problem(config, certificate: certificate) {
            guard !worker.settings.dnsHook.isEmpty else { ACMEOutput.fail(problem) }
            worker.solverOverride = ["dns-01"]  // nobody answers HTTP-01: validate every name through the DNS hook
        }
        let state = worker.obtain(certificate, onInstalled: { _ in })
        guard state.phase == .valid else {
            ACMEOutput.fail("renewing \(certificate.name): \(state.problem ?? "failed")")
        }
        let store = CertificateStore(layout: StoreLayout(stateDir: config.server.stateDir))
        let summary = (try? store.load(name: certificate.name)).flatMap { try? CertificateSummary(chainPEM: $0.chainPEM) }
        print("renewed \"\(certificate.name)\" (\(certificate.domains.joined(separator: ", "))), serial \(summary?.serialHex ?? "?"), "
            + "expires \(summary.map { $0.notAfter.formatted(.iso8601) } ?? "?")")
    }

    /// Why HTTP-01 cannot be answered now: non-wildcard names need a plain listener that accepts
    /// connections (the running proxy serves `<state_dir>/acme-challenges/`).
    static func http01Problem(_ config: ProxyConfig, certificate: ACMEManager.ManagedCertificate) -> String? {
        guard certificate.domains.contains(where: { !$0.hasPrefix("*.") }) else { return nil }
        let plain = config.listeners.filter { !$0.tls }
        guard !plain.isEmpty else {
            return "renewing \(certificate.name): no plain HTTP listener is configured to answer HTTP-01 (add one, or set [acme] dns_hook)"
        }
        for listener in plain {
            let host = ["0.0.0.0", "::"].contains(listener.bind.host) ? "127.0.0.1" : listener.bind.host
            if listener.bind.port > 0, Self.accepts(host: host, port: listener.bind.port) { return nil }
        }
        let binds = plain.map(\.bind.description).joined(separator: ", ")
        return "renewing \(certificate.name): no HTTP listener answers on \(binds); start the proxy (`portcullis run`) so it can answer the HTTP-01 challenge, or set [acme] dns_hook"
    }

    /// Whether a TCP connection to host:port is accepted.
    private static func accepts(host: String, port: Int) -> Bool {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &result) == 0, let info = result else { return false }
        defer { freeaddrinfo(result) }
        let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0
    }
}

/// `portcullis acme revoke NAME [--reason N]` (also meant for `certs revoke`).
struct CertsRevokeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke", abstract: "Revoke an ACME certificate at its CA.")

    @OptionGroup var options: ACMEOptions
    @Argument(help: "Certificate name.") var name: String
    @Option(help: "RFC 5280 reason code: 0 unspecified, 1 keyCompromise, 4 superseded, 5 cessationOfOperation.")
    var reason: Int?

    func run() throws {
        let (config, worker) = self.options.worker()
        let store = CertificateStore(layout: StoreLayout(stateDir: config.server.stateDir))
        guard let stored = ACMEOutput.run({ try store.load(name: self.name) }) else {
            ACMEOutput.fail("no certificate called \"\(self.name)\" in \(config.server.stateDir)")
        }
        guard stored.metadata.source == .acme, !stored.metadata.isPending else {
            ACMEOutput.fail("\"\(self.name)\" was not issued by ACME (source \(stored.metadata.source.rawValue))")
        }
        if let reason = self.reason, ![0, 1, 3, 4, 5, 9, 10].contains(reason) {
            ACMEOutput.fail("--reason \(reason) is not a revocation reason ACME accepts (0, 1, 3, 4, 5, 9, 10)")
        }
        guard let der = ACMEOutput.leafDER(stored.chainPEM) else { ACMEOutput.fail("\"\(self.name)\": unreadable chain") }
        let client = ACMEOutput.run { try worker.ensureClient() }
        ACMEOutput.run { try client.revoke(certificateDER: der, reason: self.reason) }
        let serial = (try? CertificateSummary(chainPEM: stored.chainPEM))?.serialHex ?? "?"
        print("revoked \"\(self.name)\" (serial \(serial))")
    }
}

/// Output helpers for the ACME commands.
enum ACMEOutput {
    /// `portcullis: <sentence>` on stderr, exit 1.
    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("portcullis: \(message)\n".utf8))
        Foundation.exit(1)
    }

    /// Runs `body`, turning a thrown error into `fail`.
    static func run<T>(_ body: () throws -> T) -> T {
        do { return try body() } catch { self.fail("\(error)") }
    }

    /// The DER bytes of the first certificate in a PEM chain.
    static func leafDER(_ pem: String) -> [UInt8]? {
        guard let start = pem.range(of: "-----BEGIN CERTIFICATE-----"),
            let end = pem.range(of: "-----END CERTIFICATE-----", range: start.upperBound..<pem.endIndex)
        else { return nil }
        let body = pem[start.upperBound..<end.lowerBound].filter { !$0.isWhitespace }
        return Data(base64Encoded: String(body)).map(Array.init)
    }
}
