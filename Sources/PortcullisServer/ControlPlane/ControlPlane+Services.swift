import Glibc
import Logging
import PortcullisACME
import PortcullisCore
import PortcullisHTTP

/// Something that runs on the control thread beside the proxy, such as the admin API: started once
/// every listener is bound (before the ready file is written), stopped when draining begins.
public protocol ControlPlaneService: AnyObject {
    /// Starts serving on `plane.base`; a thrown error stops the proxy's start with that message.
    func start(_ plane: ControlPlane) throws
    /// Stops (draining has begun).
    func stop()
}

extension ControlPlane {
    /// Adds a service started by `run` (call before `run`).
    public func register(_ service: ControlPlaneService) {
        self.services.append(service)
    }

    /// Signals, the store watcher, the expiry monitor, the ACME client and registered services.
    func startServices() throws {
        self.installSignals()
        let watch = CertificateWatch(plane: self)
        self.watcher = watch
        watch.start()
        let monitor = ExpiryMonitor(logger: self.logger, events: self.events)
        self.expiry = monitor
        monitor.start(control: self.base) { [unowned self] in self.config }
        self.logDrops = AccessLogDropWatch(base: self.base, metrics: self.metrics, logger: self.logger)
        let domains = DomainWatch(plane: self)
        self.domainWatch = domains
        domains.start()
        let onDemand = OnDemandTLS(plane: self)
        self.onDemand = onDemand
        onDemand.start()
        let health = HealthChecker(base: self.base, published: self.activeHealth, logger: self.logger)
        self.health = health
        health.configure(config: self.config, routes: self.serving.current())
        self.onCommitted.append { [unowned self] _ in self.health?.configure(config: self.config, routes: self.serving.current()) }
        for service in self.services { try service.start(self) }
    }

    /// Starts issuing and renewing the certificates of `certificate = "acme"` sites (no-op without
    /// any); after the listeners are up, so HTTP-01 can be answered.
    func startACME() {
        let reference = ControlPlaneReference(self)
        let manager = ACMEManager(
            config: self.config, challenges: ChallengePublishing(self.challenges), logger: Logger(label: "portcullis.acme"),
            onInstalled: { name in reference.base.schedule { reference.acmeInstalled(name) } })
        self.acme = manager
        manager.start()
    }

    /// Stops the ACME thread after its current step and every registered service (draining).
    func stopServices() {
        self.acme?.stop()
        self.domainWatch?.stop()
        self.onDemand?.stop()
        self.health?.stop()
        for service in self.services { service.stop() }
    }

    /// SIGHUP reloads (ignored while draining), SIGUSR1 reopens the access logs, SIGTERM/SIGINT drain.
    private func installSignals() {
        self.signals.on(SIGHUP, base: self.base) { [unowned self] in
            guard !self.drain.active else {
                self.logger.notice("SIGHUP ignored: draining")
                return
            }
            // systemd shows "reloading" until READY=1 (sd_notify(3); MONOTONIC_USEC for Type=notify-reload).
            var now = timespec()
            clock_gettime(CLOCK_MONOTONIC, &now)
            SystemdNotifier.notify("RELOADING=1\nMONOTONIC_USEC=\(Int(now.tv_sec) * 1_000_000 + Int(now.tv_nsec) / 1000)")
            let outcome = self.reload(trigger: .sighup)
            let status: String
            switch outcome {
            case .committed(let generation): status = "serving generation \(generation)"
            case .failed: status = "reload failed; serving generation \(self.generation)"
            }
            SystemdNotifier.notify("READY=1\nSTATUS=\(status)")
        }
        self.signals.on(SIGUSR1, base: self.base) { [unowned self] in self.reopenLogs() }
        self.signals.on(SIGTERM, base: self.base) { [unowned self] in self.beginDrain() }
        self.signals.on(SIGINT, base: self.base) { [unowned self] in self.beginDrain() }
    }

    /// SIGUSR1 (logrotate's `postrotate`): reopens every access-log file by path.
    public func reopenLogs() {
        let problems = self.accessLogs.reopen()
        for problem in problems { self.logger.error("access log reopen failed", metadata: ["reason": "\(problem)"]) }
        self.logger.info("access logs reopened", metadata: ["files": "\(self.accessLogs.paths.count)"])
    }
}

/// The data plane's challenge store as the ACME client's publisher.
final class ChallengePublishing: ChallengePublisher {
    private let store: ChallengeStore

    init(_ store: ChallengeStore) { self.store = store }

    func publish(token: String, keyAuthorization: String) { self.store.publish(token: token, keyAuthorization: keyAuthorization) }

    func withdraw(token: String) { self.store.withdraw(token: token) }
}
