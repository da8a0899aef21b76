import Foundation
import Glibc
import Logging
import PortcullisCertificates
import PortcullisConfig

/// The control plane's ACME client: a dedicated thread that issues and renews the certificates of
/// `certificate = "acme"` sites, so no worker ever waits on a CA. It checks at start, every 10
/// minutes, and at each certificate's renewal or retry time, whichever comes first.
public final class ACMEManager: @unchecked Sendable {  // mutable state is guarded by `condition`
    /// One managed certificate.
    public struct ManagedCertificate: Sendable, Equatable {
        /// Store name.
        public var name: String
        /// Every host of the site, in config order.
        public var domains: [String]
        /// The site's `challenge` ("" = any the configuration can answer).
        public var challenge: String

        /// A certificate from explicit values.
        public init(name: String, domains: [String], challenge: String = "") {
            self.name = name
            self.domains = domains
            self.challenge = challenge
        }
    }

    private let condition = NSCondition()
    private var settings: ACMESettings
    private var certificates: [ManagedCertificate]
    private var stateDir: String
    private var stopped = false
    private var wakeRequested = false
    /// Names to renew now (`renew(name:)`), taken by the thread at its next pass.
    private var forced: Set<String> = []
    private var thread: Thread?
    private let challenges: (any ChallengePublisher)?
    private let logger: Logger
    private let onInstalled: @Sendable (String) -> Void
    /// Finished orders by result, for metrics.
    public let orders = ACMEOrderTally()

    /// A manager for `config`'s ACME sites; `onInstalled(name)` runs on the ACME thread after a
    /// certificate was saved (the server then hot-swaps it on its control thread).
    public init(config: ProxyConfig, challenges: (any ChallengePublisher)?, logger: Logger, onInstalled: @escaping @Sendable (String) -> Void) {
        self.settings = config.acme ?? ACMESettings()
        self.certificates = Self.managed(config)
        self.stateDir = config.server.stateDir
        self.challenges = challenges
        self.logger = logger
        self.onInstalled = onInstalled
    }

    /// The ACME sites of `config`: one certificate per site covering all its hosts.
    public static func managed(_ config: ProxyConfig) -> [ManagedCertificate] {
        config.sites.filter { $0.certificate == "acme" }.map {
            ManagedCertificate(name: $0.certificateName, domains: $0.hosts, challenge: $0.challenge ?? "")
        }
    }

    /// Starts the ACME thread (no-op without ACME sites).
    public func start() {
        guard !self.certificates.isEmpty else { return }
        for certificate in self.certificates where self.isPending(certificate) {
            self.logger.notice(
                "serving a temporary self-signed certificate until the ACME order completes",
                metadata: ["certificate": "\(certificate.name)", "domains": "\(certificate.domains.joined(separator: ","))"])
        }
        let thread = Thread { [self] in self.loop() }
        thread.name = "portcullis-acme"
        self.thread = thread
        thread.start()
    }

    /// Adopts a reloaded configuration and checks at once.
    public func update(config: ProxyConfig) {
        self.condition.lock()
        (self.settings, self.certificates, self.stateDir) = (config.acme ?? ACMESettings(), Self.managed(config), config.server.stateDir)
        self.wakeRequested = true
        self.condition.signal()
        self.condition.unlock()
        if self.thread == nil { self.start() }
    }

    /// Orders a new certificate for `name` at once, whatever its renewal time (the admin API's renew).
    public func renew(name: String) {
        self.condition.lock()
        self.forced.insert(name)
        self.wakeRequested = true
        self.condition.signal()
        self.condition.unlock()
    }

    /// Asks the thread to finish after its current step.
    public func stop() {
        self.condition.lock()
        self.stopped = true
        self.condition.signal()
        self.condition.unlock()
    }

    /// Whether `certificate` is still served as a placeholder (or is missing).
    private func isPending(_ certificate: ManagedCertificate) -> Bool {
        let store = CertificateStore(layout: StoreLayout(stateDir: self.stateDir))
        guard let stored = try? store.load(name: certificate.name) else { return true }
        return stored.metadata.isPending || stored.metadata.source != .acme
    }

    /// The thread body: process whatever is due, then sleep until the next due time.
    private func loop() {
        var worker: ACMEWorker?
        while true {
            self.condition.lock()
            let (stopped, settings, certificates, stateDir) = (self.stopped, self.settings, self.certificates, self.stateDir)
            let forced = self.forced
            self.forced = []
            self.wakeRequested = false
            self.condition.unlock()
            if stopped { return }
            if worker == nil || worker?.settings != settings || worker?.stateDir != stateDir {
                worker = ACMEWorker(settings: settings, stateDir: stateDir, challenges: self.challenges, logger: self.logger)
            }
            let wake = worker!.processDue(
                certificates, now: Date(), forced: forced, tally: self.orders, onInstalled: self.onInstalled)
            self.condition.lock()
            while !self.stopped && !self.wakeRequested && Date() < wake {
                _ = self.condition.wait(until: wake)
            }
            self.condition.unlock()
        }
    }
}
