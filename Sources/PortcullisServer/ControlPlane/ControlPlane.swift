import Foundation
import Logging
import PortcullisACME
import PortcullisCertificates
import PortcullisConfig
import PortcullisCore
import PortcullisHTTP
import PortcullisTLS

/// The one owner of the control plane: the configuration, the certificate store, the store watcher,
/// the ACME client, the expiry monitor, the drain state, the access-log files and the event log are
/// its stored properties (no process globals). Every change of what the proxy serves goes through
/// one operation, `commit`, which builds the whole new state off the data path (`ServingBuild`) and
/// publishes it in one step; SIGHUP, the store watcher, ACME and the admin API only differ in their
/// `CommitTrigger`.
///
/// Threading: every method runs on the control thread, the thread that dispatches `base` (from
/// another thread use `base.schedule`). Workers only read the published `RouteTable`.
public final class ControlPlane {
    /// The configuration file, re-read by `reload`.
    public let configPath: String
    /// The configuration in service.
    public internal(set) var config: ProxyConfig
    /// The generation in service (1 after startup, +1 per commit).
    public internal(set) var generation: Int
    /// Import, swap, rollback, delete, reload, expiry warning, ACME and failure events (bounded ring).
    public let events: ControlEventLog
    /// The control thread's event base (signals, timers, the store watcher, the admin server).
    public let base: EventBase
    let logger: Logger
    let registry = CertificateRegistry()
    let contextCache = SiteContextCache()
    /// The one published serving state: routes, settings and certificates of one generation.
    let serving: SharedValue<RouteTable>
    let challenges: ChallengeStore
    let accessLogs = AccessLogFiles()
    let workerCount: Int
    /// TLS policy settings of each TLS listener (from the startup build; listeners change on restart).
    let listenerPolicies: [Int: TLSPolicySettings]
    var watcher: CertificateWatch?
    var acme: ACMEManager?
    var expiry: ExpiryMonitor?
    var logDrops: AccessLogDropWatch?
    var domainWatch: DomainWatch?
    var onDemand: OnDemandTLS?
    /// Active upstream health checks (`health_check`), started with the services.
    var health: HealthChecker?
    /// What the health checker publishes and the workers read.
    let activeHealth = SharedValue(ActiveHealthTable.empty)
    var drain = DrainState()
    /// Certificates whose files are damaged, with the reason; their last good version is served.
    public internal(set) var quarantined: [String: String] = [:]
    /// Commits by trigger and result (`portcullis_reloads_total`).
    public internal(set) var reloadCounts: [ReloadCounterKey: Int] = [:]
    /// When the last commit succeeded, seconds since the Unix epoch.
    public internal(set) var lastCommitSuccess: Double
    /// Called on the control thread after every successful commit, with the new generation.
    var onCommitted: [(Int) -> Void] = []
    /// `servedNames()` of the configuration in service (cleared when a commit changes it).
    var servedNamesMemo: Set<String>?
    var workers: [RunningWorker] = []
    let signals = SignalEvents()
    var services: [ControlPlaneService] = []
    /// The workers' request, handshake and connection counters (summed by a metrics scrape).
    public let metrics: DataPlaneMetrics

    /// Loads `configPath` and builds generation 1 (generated certificates are saved); throws the
    /// located errors of the configuration or the build. Nothing listens yet.
    public init(configPath: String, logger: Logger, base: EventBase = EventBase(), events: ControlEventLog = ControlEventLog()) throws {
        OpenSSLRuntime.initialize()
        self.configPath = configPath
        self.logger = logger
        self.base = base
        self.events = events
        let config = try ConfigLoader.load(path: configPath, options: Self.loaderOptions)
        self.workerCount = Self.workerCount(config)
        self.metrics = DataPlaneMetrics(listeners: config.listeners.count, siteSlots: max(64, 2 * config.sites.count))
        let store = CertificateStore(layout: StoreLayout(stateDir: config.server.stateDir))
        let built = try ServingBuild.build(
            config: config,
            inputs: ServingBuild.Inputs(
                store: store, registry: self.registry, generation: 1, workers: self.workerCount,
                cache: self.contextCache, changed: nil, accessLogs: self.accessLogs, dryRun: false))
        try built.prepared.saveGenerated()
        self.contextCache.commit(generation: 1)
        self.config = config
        self.generation = 1
        self.serving = SharedValue(built.routes)
        self.listenerPolicies = built.listenerPolicies
        self.challenges = ChallengeStore(directory: StoreLayout(stateDir: config.server.stateDir).challengesDirectory)
        self.lastCommitSuccess = Date().timeIntervalSince1970
        self.count(.startup, success: true)
        self.record(.reload, name: CommitTrigger.startup.rawValue, message: "generation 1 in service")
    }

    /// Worker count: `workers`, or one per core when 0.
    static func workerCount(_ config: ProxyConfig) -> Int {
        config.server.workers > 0 ? config.server.workers : max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }

    /// Config loading that knows this build's policy names, so an unknown one is a located error.
    public static var loaderOptions: ConfigLoader.Options {
        ConfigLoader.Options(knownPolicies: Set(PolicyCatalogue.names))
    }

    /// The store of the configuration in service (writes take the store lock).
    public var store: CertificateStore { CertificateStore(layout: StoreLayout(stateDir: self.config.server.stateDir)) }

    /// Appends an event to the log, stamped now.
    func record(_ kind: ControlEvent.Kind, name: String, message: String) {
        self.events.record(kind, name: name, message: message, now: Date().timeIntervalSince1970)
    }

    /// Counts one commit attempt.
    func count(_ trigger: CommitTrigger, success: Bool) {
        self.reloadCounts[ReloadCounterKey(trigger: trigger, result: success ? "success" : "failure"), default: 0] += 1
    }
}
