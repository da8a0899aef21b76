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

    /// Loads and builds everything (generation 1), without listening yet.
    public init(configPath: String, readyFile: String?, logger: Logger) throws {
        SignalEvents.ignoreSIGPIPE()
        self.readyFile = readyFile.map(ReadyFile.init(path:))
        self.logger = logger
        self.controlPlane = try ControlPlane(configPath: configPath, logger: logger)
    }

    /// Adds a service (the admin API) started once the listeners are up.
    public func register(_ service: ControlPlaneService) { self.controlPlane.register(service) }

    /// Listens, serves until SIGTERM/SIGINT have drained everything, and returns the exit code.
    public func run() throws -> Int32 {
        let plane = self.controlPlane
        let entries = try plane.startWorkers()
        try plane.startServices()
        let readyFile = self.readyFile
        plane.onCommitted.append { generation in readyFile?.write(generation: generation, listeners: entries) }
        readyFile?.write(generation: plane.generation, listeners: entries)
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
