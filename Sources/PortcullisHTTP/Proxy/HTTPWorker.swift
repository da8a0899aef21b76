internal import CLibevent
import Logging
import PortcullisCore
import PortcullisTLS

/// Everything a worker thread shares with the control plane: the published serving state (routes and
/// certificates in one object, swapped in one step on reload) and the challenge store.
public final class DataPlane: CertSnapshotSource {
    public let routes: SharedValue<RouteTable>
    public let challenges: ChallengeStore
    /// Per-worker counters, summed by a scrape.
    public let metrics: DataPlaneMetrics
    /// Upstreams taken out by active health checks (control plane writes, workers read).
    public let activeHealth: SharedValue<ActiveHealthTable>
    public init(
        routes: SharedValue<RouteTable>, challenges: ChallengeStore, metrics: DataPlaneMetrics? = nil,
        activeHealth: SharedValue<ActiveHealthTable> = SharedValue(ActiveHealthTable.empty)
    ) {
        self.activeHealth = activeHealth
        self.routes = routes
        self.challenges = challenges
        self.metrics = metrics ?? DataPlaneMetrics(listeners: 1, siteSlots: 0)
    }

    /// The certificates of the published state (one lock per handshake, as a `CertSnapshotHolder`).
    public func currentCertificates() -> CertSnapshot { self.routes.current().certificates }
}

/// Per-worker state of the HTTP data plane: parsers, upstream pools, health marks, scratch space and
/// the list of live connections. Confined to its worker thread; nothing here is shared.
public final class HTTPWorker {
    let base: EventBase
    let plane: DataPlane
    let logger: Logger
    /// Parsers built for the limits in force; rebuilt when a reload changes them.
    private(set) var requestHead: RequestHead
    private(set) var responseHead: ResponseHead
    let pool = UpstreamPool()
    let metrics: WorkerMetricsRecorder
    var health = UpstreamHealth()
    private var activeHealth: LocalCopy<ActiveHealthTable>
    /// Reused buffer for building heads sent upstream or downstream.
    var scratch: [UInt8] = []
    /// Reused buffer for access log lines.
    var logLine: [UInt8] = []
    /// The unwritten end of a line a full pipe took only part of, and the descriptor it belongs to.
    var logPending: [UInt8] = []
    var logPendingFD: Int32 = -1
    /// Live client connections (intrusive list) for draining.
    unowned(unsafe) var firstConnection: ClientConnection?
    private(set) var connectionCount = 0
    private(set) var listeners: [Listener] = []
    private(set) var draining = false
    /// True while the listeners are disabled because `maxConnectionsPerWorker` was reached.
    private(set) var acceptPaused = false
    /// Generation of the routing table whose settings (parser limits, connection cap) are applied.
    private var appliedGeneration: Int
    private var roundRobin: [Int] = []
    /// This thread's view of the published routing table (no lock unless a reload published a new one).
    private var routes: LocalCopy<RouteTable>
    private var onDrained: (@Sendable () -> Void)?

    /// Creates the worker state for `base`.
    public init(base: EventBase, plane: DataPlane, logger: Logger) {
        self.base = base
        self.plane = plane
        self.logger = logger
        self.routes = LocalCopy(plane.routes)
        self.activeHealth = LocalCopy(plane.activeHealth)
        self.metrics = WorkerMetricsRecorder(plane.metrics)
        let table = plane.routes.current()
        self.appliedGeneration = table.generation
        self.requestHead = RequestHead(limits: table.settings.limits)
        self.responseHead = ResponseHead(limits: table.settings.limits)
        self.scratch.reserveCapacity(16 * 1024)
    }

    /// The routing table in force for a new request; applies a reloaded table's settings first.
    func currentRoutes() -> RouteTable {
        let table = self.routes.current()
        if table.generation != self.appliedGeneration { self.apply(table) }
        return table
    }

    /// Called on this worker's thread after a reload published new routes: applies the new limits now,
    /// so a worker paused at the old connection cap resumes even if none of its connections is active.
    public func settingsChanged() { _ = self.currentRoutes() }

    /// Rebuilds the parsers if the limits changed (only on reload), and re-checks the connection cap.
    private func apply(_ table: RouteTable) {
        self.appliedGeneration = table.generation
        let new = table.settings.limits
        let old = self.requestHead.limits
        if new.maxRequestLine != old.maxRequestLine || new.maxHeaderBytes != old.maxHeaderBytes
            || new.maxHeaderCount != old.maxHeaderCount
        {
            self.requestHead = RequestHead(limits: new)
            self.responseHead = ResponseHead(limits: new)
        }
        self.updateAccepting(maxConnections: table.settings.maxConnectionsPerWorker)
    }

    /// Pauses the listeners at the connection cap and resumes them below it (whatever the cap was).
    private func updateAccepting(maxConnections: Int) {
        if self.connectionCount >= maxConnections {
            guard !self.acceptPaused else { return }
            self.acceptPaused = true
            for listener in self.listeners { listener.pause() }
        } else if self.acceptPaused, !self.draining {
            self.acceptPaused = false
            for listener in self.listeners { listener.resume() }
        }
    }

    /// Attaches a listening socket to this worker.
    public func listen(fd: Int32, endpoint: ListenerEndpoint) {
        let acceptor = EndpointAcceptor(worker: self, endpoint: endpoint)
        self.listeners.append(Listener(base: self.base, fd: fd, acceptor: acceptor, logger: self.logger))
    }

    /// Stops accepting, closes idle connections, and calls `done` (on this thread) once no connection
    /// is left. Must run on the worker's thread.
    public func drain(done: @escaping @Sendable () -> Void) {
        self.draining = true
        self.onDrained = done
        for listener in self.listeners { listener.close() }
        self.listeners.removeAll()
        self.pool.closeAll()
        var next = self.firstConnection
        while let connection = next {
            next = connection.next
            connection.drainIfIdle()
        }
        self.checkDrained()
    }

    func register(_ connection: ClientConnection) {
        connection.next = self.firstConnection
        self.firstConnection?.previous = connection
        self.firstConnection = connection
        self.connectionCount += 1
        self.metrics.counters.connectionOpened(listener: connection.endpoint.metricsIndex)
        self.updateAccepting(maxConnections: self.currentRoutes().settings.maxConnectionsPerWorker)
    }

    func unregister(_ connection: ClientConnection) {
        if let previous = connection.previous { previous.next = connection.next } else { self.firstConnection = connection.next }
        connection.next?.previous = connection.previous
        connection.next = nil
        connection.previous = nil
        self.connectionCount -= 1
        self.updateAccepting(maxConnections: self.currentRoutes().settings.maxConnectionsPerWorker)
        self.checkDrained()
    }

    private func checkDrained() {
        guard self.draining, self.connectionCount == 0, let done = self.onDrained else { return }
        self.onDrained = nil
        done()
    }

    /// Next upstream of `site` in round-robin order, skipping ones passively marked down unless all are,
    /// and always ones at `max_upstream_connections` or down by active checks (nil when none is left).
    func pickUpstream(site: Int, of table: RouteTable, excluding tried: SocketAddress?) -> SocketAddress? {
        let upstreams = table.sites[site].upstreams
        guard !upstreams.isEmpty else { return nil }
        if self.roundRobin.count < table.sites.count { self.roundRobin += Array(repeating: 0, count: table.sites.count - self.roundRobin.count) }
        let now = Clock.monotonic()
        let cap = table.settings.maxUpstreamConnections
        let start = self.roundRobin[site]
        self.roundRobin[site] = (start + 1) % upstreams.count
        var fallback: SocketAddress?
        let active = self.activeHealth.current()
        for offset in 0..<upstreams.count {
            let index = (start + offset) % upstreams.count
            let candidate = upstreams[index]
            guard candidate != tried, !active.isDown(site: site, upstream: index, generation: table.generation),
                self.pool.hasRoom(candidate, cap: cap)
            else { continue }
            if self.health.isUp(candidate, now: now) { return candidate }
            if fallback == nil { fallback = candidate }
        }
        return tried == nil ? fallback : nil
    }

    /// A pooled or new connection to `address` within `max_upstream_connections`.
    func openUpstream(_ address: SocketAddress, settings: DataPlaneSettings) -> UpstreamConnection? {
        self.pool.connection(
            to: address, base: self.base, connectTimeout: settings.upstreamConnectTimeout, cap: settings.maxUpstreamConnections)
    }
}

/// A listener's role: TLS termination with a front context, or plain HTTP (challenges + redirect).
public struct ListenerEndpoint: Sendable {
    public var tls: FrontTLSContext?
    public var httpsRedirectPort: Int
    /// The port clients connect to (sent upstream as X-Forwarded-Port); set once it is bound.
    public var port: Int
    /// The listener's index in the configuration (the `listener` label of its metrics).
    public var metricsIndex: Int
    public init(tls: FrontTLSContext?, httpsRedirectPort: Int, port: Int = 0, metricsIndex: Int = 0) {
        self.tls = tls
        self.httpsRedirectPort = httpsRedirectPort
        self.port = port
        self.metricsIndex = metricsIndex
    }
}

/// Accepts connections for one listener on one worker.
final class EndpointAcceptor: ConnectionAcceptor {
    unowned let worker: HTTPWorker
    let endpoint: ListenerEndpoint
    init(worker: HTTPWorker, endpoint: ListenerEndpoint) {
        self.worker = worker
        self.endpoint = endpoint
    }

    func onAccept(fd: Int32, peer: SocketAddress) {
        ClientConnection.start(fd: fd, peer: peer, endpoint: self.endpoint, worker: self.worker)
    }
}

/// Passive health: an upstream that failed is skipped for a few seconds.
struct UpstreamHealth {
    static let downFor: Double = 5
    private var downUntil: [SocketAddress: Double] = [:]

    func isUp(_ address: SocketAddress, now: Double) -> Bool {
        guard let until = self.downUntil[address] else { return true }
        return now >= until
    }

    mutating func markDown(_ address: SocketAddress, now: Double) { self.downUntil[address] = now + Self.downFor }

    mutating func markUp(_ address: SocketAddress) {
        if !self.downUntil.isEmpty { self.downUntil[address] = nil }
    }
}
