import Foundation
import Logging
import PortcullisCertificates
import PortcullisConfig

/// Issues and renews certificates for one `[acme]` configuration: account set-up, the renewal
/// schedule and running orders. Single-threaded (the ACME thread, or the CLI's main thread).
public final class ACMEWorker {
    /// The configuration this worker was built for.
    public let settings: ACMESettings
    /// The state directory.
    public let stateDir: String
    private let layout: ACMELayout
    private let store: CertificateStore
    private let challenges: (any ChallengePublisher)?
    private let logger: Logger
    private var client: ACMEClient?
    /// ARI windows by certificate name: for which certificate ID, and until when to trust them.
    private var renewalWindows: [String: (id: String, window: RenewalInfo.Window, validUntil: Date)] = [:]

    /// A worker; `challenges` is the running server's HTTP-01 publisher (nil from the CLI).
    public init(settings: ACMESettings, stateDir: String, challenges: (any ChallengePublisher)?, logger: Logger) {
        self.settings = settings
        self.stateDir = stateDir
        self.layout = ACMELayout(stateDir: stateDir)
        self.store = CertificateStore(layout: StoreLayout(stateDir: stateDir))
        self.challenges = challenges
        self.logger = logger
    }

    /// Restricts the challenge types (the CLI uses DNS-01 only when no HTTP listener is answering).
    public var solverOverride: [String]?

    /// Challenge types this configuration can answer.
    var solverTypes: [String] {
        self.solverOverride ?? (self.settings.dnsHook.isEmpty ? ["http-01"] : ["http-01", "dns-01"])
    }

    /// The types for `certificate`: its site's `challenge` alone when set, else the configuration's.
    func solverTypes(for certificate: ACMEManager.ManagedCertificate) -> [String] {
        guard self.solverOverride == nil, !certificate.challenge.isEmpty else { return self.solverTypes }
        return [certificate.challenge]
    }

    /// Runs every certificate that is due; returns when to look again.
    func processDue(
        _ certificates: [ACMEManager.ManagedCertificate], now: Date, forced: Set<String> = [],
        tally: ACMEOrderTally? = nil, onInstalled: @escaping (String) -> Void
    ) -> Date {
        var wake = now.addingTimeInterval(RenewalPolicy.checkInterval)
        for certificate in certificates {
            self.refreshRenewalWindow(certificate, now: now)
            var due = self.dueTime(certificate, now: now)
            if due <= now || forced.contains(certificate.name) {
                let state = self.obtain(certificate, onInstalled: onInstalled)
                tally?.count(state)
                due = self.dueTime(certificate, now: Date())
            }
            wake = min(wake, due)
        }
        return max(wake, Date().addingTimeInterval(0.5))
    }

    /// When `certificate` next needs work: now for a missing, placeholder or mismatched certificate
    /// or an interrupted order; the retry time after a failure; else its renewal time.
    public func dueTime(_ certificate: ACMEManager.ManagedCertificate, now: Date) -> Date {
        if let state = OrderStateFile.load(self.layout, name: certificate.name), state.domains == certificate.domains {
            if state.inFlight { return now }
            if state.phase == .failed, let next = state.nextAttempt { return next }
        }
        guard let stored = try? self.store.load(name: certificate.name), stored.metadata.source == .acme,
            !stored.metadata.isPending, Set(stored.metadata.domains) == Set(certificate.domains),
            let summary = try? CertificateSummary(chainPEM: stored.chainPEM)
        else { return now }
        let jitter = RenewalPolicy.stableJitter(summary.serialHex)
        let byLifetime = RenewalPolicy.renewalTime(
            notBefore: summary.notBefore, notAfter: summary.notAfter, renewRemaining: self.settings.renewRemaining,
            jitter: jitter)
        // Inside the CA's ARI window when it offers one (RFC 9773 §4.2), whichever comes first.
        guard let ari = self.renewalWindows[certificate.name], ari.id == RenewalInfo.certificateID(chainPEM: stored.chainPEM),
            let suggested = RenewalPolicy.ariRenewalTime(windowStart: ari.window.start, windowEnd: ari.window.end, jitter: jitter, now: now)
        else { return byLifetime }
        return min(byLifetime, suggested)
    }

    /// Fetches the ARI window of an issued certificate when the CA offers `renewalInfo` and the
    /// cached one is stale; failures keep the lifetime rule.
    private func refreshRenewalWindow(_ certificate: ACMEManager.ManagedCertificate, now: Date) {
        guard let stored = try? self.store.load(name: certificate.name), stored.metadata.source == .acme,
            !stored.metadata.isPending, let id = RenewalInfo.certificateID(chainPEM: stored.chainPEM)
        else { return }
        if let cached = self.renewalWindows[certificate.name], cached.id == id, cached.validUntil > now { return }
        guard let client = try? self.ensureClient(), (try? client.directory().renewalInfo) != nil else { return }
        if let fetched = try? client.renewalWindow(certificateID: id, now: now) {
            self.renewalWindows[certificate.name] = (id, fetched.window, fetched.validUntil)
        }
    }

    /// Runs (or resumes) an order for `certificate` to its end; returns the final state.
    @discardableResult
    public func obtain(_ certificate: ACMEManager.ManagedCertificate, onInstalled: @escaping (String) -> Void) -> OrderState {
        var state = OrderStateFile.load(self.layout, name: certificate.name) ?? OrderState(name: certificate.name, domains: certificate.domains, solvers: [])
        if state.domains != certificate.domains { state = OrderState(name: certificate.name, domains: certificate.domains, solvers: []) }
        state.solvers = self.solverTypes(for: certificate)
        var machine = OrderStateMachine(state: state)
        // Account set-up first, so the logged duration is the order's own.
        let setup = Result { try self.ensureClient() }
        let started = Date()
        self.run(&machine, client: setup, from: state.inFlight ? .resume : .begin, onInstalled: onInstalled)
        if machine.state.phase == .failed, machine.state.problem?.contains("accountDoesNotExist") == true {
            // The CA forgot the account (Pebble restarts do this): register again and retry once.
            self.client = nil
            self.run(&machine, client: Result { try self.ensureClient() }, from: .begin, onInstalled: onInstalled)
        }
        self.report(machine.state, started: started)
        return machine.state
    }

    /// Drives the machine with `client` (or records why there is none).
    private func run(
        _ machine: inout OrderStateMachine, client setup: Result<ACMEClient, any Error>, from event: OrderEvent,
        onInstalled: @escaping (String) -> Void
    ) {
        let client: ACMEClient
        do {
            client = try setup.get()
        } catch {
            _ = machine.handle(.failed("setting up the ACME account: \(error)", transient: (error as? ACMEError)?.isTransient ?? false), now: Date())
            self.persist(machine.state)
            return
        }
        let name = machine.state.name
        let domains = machine.state.domains
        let driver = OrderDriver(
            client: client, solvers: self.makeSolvers(), keyType: self.settings.keyType, logger: self.logger,
            persist: { [self] in self.persist($0) },
            install: { [self] chain, key in
                try self.install(name: name, domains: domains, chain: chain, key: key)
                onInstalled(name)
            })
        driver.run(&machine, from: event)
    }

    /// The solvers available with this configuration.
    private func makeSolvers() -> [ChallengeSolver] {
        var solvers: [ChallengeSolver] = [HTTP01Solver(store: self.challenges, directory: self.layout.challengesDirectory)]
        if !self.settings.dnsHook.isEmpty { solvers.append(DNS01HookSolver(hook: self.settings.dnsHook, logger: self.logger)) }
        // Only a running server (one with a challenge publisher) has TLS listeners to answer from.
        if self.challenges != nil { solvers.append(TLSALPN01Solver()) }
        return solvers
    }

    /// The client with a registered account (key created on first use, kept 0600).
    public func ensureClient() throws -> ACMEClient {
        if let client = self.client { return client }
        guard self.settings.agreeTOS else {
            throw ACMEError.local("the CA's terms of service must be accepted: set [acme] agree_tos = true")
        }
        let key = try self.loadOrCreateAccountKey()
        let client = try ACMEClient(directoryURL: self.settings.directory, caFile: self.settings.caFile, key: key, logger: self.logger)
        let url = try client.ensureAccount(
            email: self.settings.email, agreeTOS: self.settings.agreeTOS, eabKID: self.settings.eabKID,
            eabHMACKey: self.settings.eabHMACKey)
        self.logger.info("acme account ready", metadata: ["account": "\(url)", "directory": "\(self.settings.directory)"])
        self.client = client
        return client
    }

    /// The account key for this directory, created on first use.
    public func loadOrCreateAccountKey() throws -> AccountKey {
        let path = self.layout.accountKeyPath(directoryURL: self.settings.directory)
        if let data = FileManager.default.contents(atPath: path) { return try AccountKey(pem: String(decoding: data, as: UTF8.self)) }
        let key = try AccountKey.generate()
        try ACMELayout.makeParent(of: path)
        try AtomicFile.write(Array(try key.pem().utf8), to: path, mode: 0o600)
        return key
    }

    /// Saves an issued certificate (atomically, key 0600) as source `acme`, once the chain parses and
    /// its first certificate (the leaf) matches our key: a CA that returned another order's chain, or a
    /// chain out of order, must fail the order, not replace a working certificate with one that cannot
    /// be served.
    func install(name: String, domains: [String], chain: String, key: String) throws {
        let metadata = CertificateMetadata(source: .acme, domains: domains, created: Date().formatted(.iso8601))
        let certificate = StoredCertificate(name: name, chainPEM: chain, keyPEM: key, metadata: metadata)
        do {
            _ = try StoredCertificateCheck.check(certificate)
        } catch {
            throw ACMEError.local("the issued chain cannot be installed: \(error)")
        }
        try self.store.save(certificate)
    }

    /// Writes the order state; a failure is logged (the order goes on).
    private func persist(_ state: OrderState) {
        do { try OrderStateFile.save(state, self.layout) } catch {
            self.logger.warning("saving acme order state failed", metadata: ["certificate": "\(state.name)", "error": "\(error)"])
        }
    }

    /// Logs the outcome of an order.
    private func report(_ state: OrderState, started: Date) {
        let elapsed = String(format: "%.0f", Date().timeIntervalSince(started) * 1000)
        let nonces = "\(self.client?.badNonceRetries ?? 0)"
        if state.phase == .valid {
            self.logger.info("certificate issued", metadata: [
                "certificate": "\(state.name)", "domains": "\(state.domains.joined(separator: ","))",
                "duration_ms": "\(elapsed)", "bad_nonce_retries": "\(nonces)",
            ])
        } else {
            self.logger.warning("acme order failed", metadata: [
                "certificate": "\(state.name)", "error": "\(state.problem ?? "?")",
                "next_attempt": "\(state.nextAttempt.map { $0.formatted(.iso8601) } ?? "-")",
            ])
        }
    }
}
