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

extension ProxyServer {
    /// Opens every listener on every worker (SO_REUSEPORT; port 0 resolved once) and starts threads.
    func startWorkers() throws {
        let config = self.state.config
        let plane = DataPlane(routes: self.routes, challenges: self.challenges)
        let count = Self.workerCount(config)
        TicketKeyRing.shared.setRotationInterval(config.tls.ticketKeyRotation)
        self.workers = (0..<count).map { index in
            let thread = WorkerThread(index: index)
            var logger = self.logger
            logger[metadataKey: "worker"] = "\(index)"
            return RunningWorker(thread: thread, http: HTTPWorker(base: thread.base, plane: plane, logger: logger))
        }
        for (listenerIndex, listener) in config.listeners.enumerated() {
            var endpoint = try self.endpoint(for: listener, index: listenerIndex)
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
            self.readyEntries.append(ReadyFile.Entry(bind: listener.bind.description, port: port, tls: listener.tls))
        }
        for worker in self.workers { worker.thread.start() }
    }

    /// The TLS front context (or none) and redirect port of one listener; the front context carries the
    /// listener's security policy, and sites without their own use their variant for listener `index`.
    private func endpoint(for listener: ListenerConfig, index: Int) throws -> ListenerEndpoint {
        guard listener.tls else { return ListenerEndpoint(tls: nil, httpsRedirectPort: listener.httpsRedirectPort) }
        let defaultID = listener.defaultCertificate.map { self.registry.id(for: $0) }
        let policy = try SnapshotBuilder.listenerSettings(config: self.state.config, index: index)
        let front = try FrontTLSContext(
            holder: self.certificates, defaultCertificateID: defaultID, policy: policy, listenerIndex: index)
        return ListenerEndpoint(tls: front, httpsRedirectPort: listener.httpsRedirectPort)
    }

    /// SIGTERM/SIGINT: stop accepting, let in-flight requests finish (bounded by drain_timeout), exit.
    func drain() {
        guard self.drainTimer == nil else { return }
        let timeout = self.state.config.server.timeouts.drain
        self.logger.info("draining", metadata: ["timeout_s": "\(timeout)"])
        self.signals.removeAll()
        self.stopACME()
        let control = self.control
        let onWorkerDrained: @Sendable () -> Void = { control.schedule { DrainCounter.shared.decrement() } }
        DrainCounter.shared.reset(count: self.workers.count) { [unowned self] in self.finishDrain(timedOut: false) }
        for worker in self.workers {
            worker.thread.base.schedule { worker.http.drain(done: onWorkerDrained) }
        }
        self.drainTimer = PortcullisCore.Timer(base: self.control, interval: timeout, repeats: false) { [unowned self] in
            self.finishDrain(timedOut: true)
        }
    }

    private func finishDrain(timedOut: Bool) {
        if timedOut { self.logger.warning("drain timeout reached; closing remaining connections") }
        self.drainTimer?.cancel()
        for worker in self.workers { worker.thread.base.exit() }
        self.control.exit()
    }
}

/// Counts workers that finished draining; runs on the control thread only.
final class DrainCounter: @unchecked Sendable {  // touched only on the control thread (via control.schedule)
    static let shared = DrainCounter()
    private var count = 0
    private var done: (() -> Void)?

    func reset(count: Int, done: @escaping () -> Void) {
        self.count = count
        self.done = done
    }

    func decrement() {
        self.count -= 1
        if self.count == 0, let done = self.done {
            self.done = nil
            done()
        }
    }
}
