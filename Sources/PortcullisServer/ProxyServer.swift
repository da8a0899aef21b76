import Glibc
import Logging
import PortcullisConfig
import PortcullisCore
import PortcullisHTTP
import PortcullisTLS

/// The composition root: builds the data plane from a config, runs the worker threads and the
/// control loop (signals, reload, drain), and owns the reload transaction.
public final class ProxyServer {
    let configPath: String
    let readyFile: ReadyFile?
    let logger: Logger
    let registry = CertificateRegistry()
    let control = EventBase()
    let signals = SignalEvents()
    var state: RuntimeState
    var generation = 1
    var workers: [RunningWorker] = []
    var readyEntries: [ReadyFile.Entry] = []
    var certificates: CertSnapshotHolder
    var routes: SharedValue<RouteTable>
    var challenges: ChallengeStore
    var drainTimer: PortcullisCore.Timer?
    var exitCode: Int32 = 0

    /// Loads and validates the config and builds everything, without listening yet.
    public init(configPath: String, readyFile: String?, logger: Logger) throws {
        OpenSSLRuntime.initialize()
        SignalEvents.ignoreSIGPIPE()
        self.configPath = configPath
        self.readyFile = readyFile.map(ReadyFile.init(path:))
        self.logger = logger
        let config = try ConfigLoader.load(path: configPath, options: Self.loaderOptions)
        let workerCount = Self.workerCount(config)
        self.state = try RuntimeState.build(config: config, registry: self.registry, generation: 1, workers: workerCount)
        self.certificates = CertSnapshotHolder(self.state.certificates)
        self.routes = SharedValue(self.state.routes)
        self.challenges = ChallengeStore(directory: config.server.stateDir + "/acme-challenges")
    }

    /// Worker count: `workers`, or one per core when 0.
    static func workerCount(_ config: ProxyConfig) -> Int {
        config.server.workers > 0 ? config.server.workers : max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }

    /// Listens, serves until SIGTERM/SIGINT have drained everything, and returns the exit code.
    public func run() throws -> Int32 {
        FileLimit.raise(maxConnections: self.state.config.server.limits.maxConnections, logger: self.logger)
        try self.startWorkers()
        self.installSignals()
        self.startCertificateServices()
        self.readyFile?.write(generation: self.generation, listeners: self.readyEntries)
        self.startACME()
        for entry in self.readyEntries {
            self.logger.info("listening", metadata: ["bind": "\(entry.bind)", "port": "\(entry.port)", "tls": "\(entry.tls)"])
        }
        self.control.dispatch()
        for worker in self.workers { worker.thread.join() }
        self.logger.info("stopped")
        return self.exitCode
    }

    private func installSignals() {
        self.signals.on(SIGHUP, base: self.control) { [unowned self] in self.reload() }
        self.signals.on(SIGTERM, base: self.control) { [unowned self] in self.drain() }
        self.signals.on(SIGINT, base: self.control) { [unowned self] in self.drain() }
    }
}
