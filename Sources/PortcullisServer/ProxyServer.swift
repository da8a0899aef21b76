import Glibc
import Logging
import PortcullisConfig
import PortcullisCore
import PortcullisTLS

/// The process: builds the control plane from a config, opens the listeners on the worker threads,
/// and runs the control loop until SIGTERM/SIGINT have drained everything. Everything it serves is
/// owned by `controlPlane`.
public final class ProxyServer {
    /// The owner of configuration, store, watcher, ACME, expiry monitor, logs and events.
    public let controlPlane: ControlPlane
    let readyFile: ReadyFile?
    let logger: Logger
    /// The admin API listener, when `[admin]` is configured.
    let admin: AdminService?

    /// Loads and builds everything (generation 1), without listening yet.
    public init(configPath: String, readyFile: String?, logger: Logger) throws {
        SignalEvents.ignoreSIGPIPE()
        self.readyFile = readyFile.map(ReadyFile.init(path:))
        self.logger = logger
        self.controlPlane = try ControlPlane(configPath: configPath, logger: logger)
        self.admin = self.controlPlane.config.admin.map { AdminService(settings: $0, logger: Logger(label: "portcullis.admin")) }
        if let admin = self.admin { self.controlPlane.register(admin) }
    }

    /// Adds a service (the admin API) started once the listeners are up.
    public func register(_ service: ControlPlaneService) { self.controlPlane.register(service) }

    /// Listens, serves until SIGTERM/SIGINT have drained everything, and returns the exit code.
    public func run() throws -> Int32 {
        let plane = self.controlPlane
        FileLimit.raise(maxConnections: plane.config.server.limits.maxConnections, logger: self.logger)
        let entries = try plane.startWorkers()
        // Metrics label listeners by their real address (`bind` with port 0 resolved).
        self.admin?.listenerLabels = entries.map { entry in
            entry.bind.hasSuffix(":0") ? String(entry.bind.dropLast(2)) + ":\(entry.port)" : entry.bind
        }
        try plane.startServices()
        let readyFile = self.readyFile
        let admin = self.admin.map { service in
            ReadyFile.Entry(bind: plane.config.admin!.bind.description, port: service.port, tls: plane.config.admin!.tls)
        }
        plane.onCommitted.append { generation in readyFile?.write(generation: generation, listeners: entries, admin: admin) }
        readyFile?.write(generation: plane.generation, listeners: entries, admin: admin)
        // Type=notify: every worker's listener is bound and listening now.
        SystemdNotifier.notify("READY=1\nSTATUS=serving generation \(plane.generation)\nMAINPID=\(getpid())")
        plane.startACME()
        for entry in entries {
            self.logger.info("listening", metadata: ["bind": "\(entry.bind)", "port": "\(entry.port)", "tls": "\(entry.tls)"])
        }
        plane.base.dispatch()
        for worker in plane.workers { worker.thread.join() }
        self.logger.info("stopped")
        return 0
    }
}
