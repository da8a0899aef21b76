import Glibc
import Logging
import PortcullisCertificates
import PortcullisConfig
import PortcullisCore
import PortcullisHTTP
import PortcullisTLS

/// A worker thread and its HTTP state. The HTTP state is touched only on that thread.
struct RunningWorker: @unchecked Sendable {  // `http` is only used through `thread.base.schedule`, on its own thread
    let thread: WorkerThread
    let http: HTTPWorker
}

/// SIGTERM/SIGINT progress: workers still draining, and the deadline timer.
struct DrainState {
    var active = false
    var remaining = 0
    var timer: PortcullisCore.Timer?
}

extension ControlPlane {
    /// Opens every listener on every worker (SO_REUSEPORT; port 0 resolved once) and starts threads;
    /// returns the ready-file entries.
    func startWorkers() throws -> [ReadyFile.Entry] {
        let config = self.config
        let plane = DataPlane(
            routes: self.serving, challenges: self.challenges, metrics: self.metrics, activeHealth: self.activeHealth)
        TicketKeyRing.shared.setRotationInterval(config.tls.ticketKeyRotation)
        self.workers = (0..<self.workerCount).map { index in
            let thread = WorkerThread(index: index)
            var logger = self.logger
            logger[metadataKey: "worker"] = "\(index)"
            return RunningWorker(thread: thread, http: HTTPWorker(base: thread.base, plane: plane, logger: logger))
        }
        var entries: [ReadyFile.Entry] = []
        for (listenerIndex, listener) in config.listeners.enumerated() {
            var endpoint = try self.endpoint(for: listener, index: listenerIndex, plane: plane)
            var address = try SocketAddress.resolve(host: listener.bind.host, port: listener.bind.port, numericOnly: true)
            var port = listener.bind.port
            for worker in self.workers {
                let opened = try ListenSocket.open(address)
                if port == 0 {
                    port = opened.port
                    address = try SocketAddress.resolve(host: listener.bind.host, port: port, numericOnly: true)
                }
                endpoint.port = port
                worker.http.listen(fd: opened.fd, endpoint: endpoint)
            }
            entries.append(ReadyFile.Entry(bind: listener.bind.description, port: port, tls: listener.tls))
        }
        for worker in self.workers { worker.thread.start() }
        return entries
    }

    /// The TLS front context (or none) and redirect port of one listener; the front context carries the
    /// listener's security policy, and sites without their own use their variant for listener `index`.
    private func endpoint(for listener: ListenerConfig, index: Int, plane: DataPlane) throws -> ListenerEndpoint {
        guard listener.tls, let policy = self.listenerPolicies[index] else {
            return ListenerEndpoint(tls: nil, httpsRedirectPort: listener.httpsRedirectPort, metricsIndex: index)
        }
        let defaultID = listener.defaultCertificate.map { self.registry.id(for: $0) }
        let front = try FrontTLSContext(holder: plane, defaultCertificateID: defaultID, policy: policy, listenerIndex: index)
        return ListenerEndpoint(tls: front, httpsRedirectPort: listener.httpsRedirectPort, metricsIndex: index)
    }

    /// SIGTERM/SIGINT: stop accepting, let in-flight requests finish (bounded by drain_timeout), exit.
    /// Later SIGHUPs are logged and ignored; the signal handlers stay installed so that no signal
    /// falls back to its default action (which would kill the process mid-drain).
    func beginDrain() {
        guard !self.drain.active else { return }
        self.drain.active = true
        SystemdNotifier.notify("STOPPING=1")
        let timeout = self.config.server.timeouts.drain
        self.logger.info("draining", metadata: ["timeout_s": "\(timeout)"])
        self.stopServices()
        let reference = ControlPlaneReference(self)
        let onWorkerDrained: @Sendable () -> Void = { reference.base.schedule { reference.workerDrained() } }
        self.drain.remaining = self.workers.count
        for worker in self.workers {
            worker.thread.base.schedule { worker.http.drain(done: onWorkerDrained) }
        }
        if self.workers.isEmpty { self.finishDrain(timedOut: false) }
        self.drain.timer = PortcullisCore.Timer(base: self.base, interval: timeout, repeats: false) { [unowned self] in
            self.finishDrain(timedOut: true)
        }
    }

    /// One worker has no connection left.
    func workerDrained() {
        self.drain.remaining -= 1
        if self.drain.remaining == 0 { self.finishDrain(timedOut: false) }
    }

    private func finishDrain(timedOut: Bool) {
        if timedOut { self.logger.warning("drain timeout reached; closing remaining connections") }
        self.drain.timer?.cancel()
        for worker in self.workers { worker.thread.base.exit() }
        self.base.exit()
    }
}

/// Lets other threads post work for the control plane to its control thread.
final class ControlPlaneReference: @unchecked Sendable {  // the plane is used only inside base.schedule, on the control thread
    private let plane: ControlPlane
    /// The control base (its `schedule` is thread-safe).
    let base: EventBase

    init(_ plane: ControlPlane) {
        self.plane = plane
        self.base = plane.base
    }

    /// Runs on the control thread.
    func workerDrained() { self.plane.workerDrained() }

    /// Commits after the ACME client saved `name` (control thread).
    func acmeInstalled(_ name: String) {
        self.plane.record(.acme, name: name, message: "certificate issued and saved")
        self.plane.commit(config: self.plane.config, changed: [name], trigger: .acme)
        self.plane.onDemand?.installed(name)
    }

    /// A worker's handshake met an unknown name on an on-demand listener (control thread).
    func onDemandRequested(_ name: String) { self.plane.onDemand?.requested(name) }
}
