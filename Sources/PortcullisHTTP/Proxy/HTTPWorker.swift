internal import CLibevent
import Logging
import PortcullisCore
import PortcullisTLS

/// Everything a worker thread shares with the control plane: the published serving state (routes and
/// certificates in one object, swapped in one step on reload) and the challenge store.
public final class DataPlane: CertSnapshotSource {
    public let routes: SharedValue<RouteTable>
    public let challenges: ChallengeStore
    public init(routes: SharedValue<RouteTable>, challenges: ChallengeStore) {
        self.routes = routes
        self.challenges = challenges
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
    let requestHead: RequestHead
    let responseHead: ResponseHead
    let pool = UpstreamPool()
    var health = UpstreamHealth()
    /// Reused buffer for building heads sent upstream or downstream.
    var scratch: [UInt8] = []
    /// Reused buffer for access log lines.
    var logLine: [UInt8] = []
    /// Live client connections (intrusive list) for draining.
    unowned(unsafe) var firstConnection: ClientConnection?
    private(set) var connectionCount = 0
    private(set) var listeners: [Listener] = []
    private(set) var draining = false
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
        let limits = plane.routes.current().settings.limits
        self.requestHead = RequestHead(limits: limits)
        self.responseHead = ResponseHead(limits: limits)
        self.scratch.reserveCapacity(16 * 1024)
    }

    /// The routing table in force for a new request.
    func currentRoutes() -> RouteTable { self.routes.current() }

    /// Attaches a listening socket to this worker.
    public func listen(fd: Int32, endpoint: ListenerEndpoint) {
        let acceptor = EndpointAcceptor(worker: self, endpoint: endpoint)
        self.listeners.append(Listener(base: self.base, fd: fd, acceptor: acceptor))
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
        if self.connectionCount >= self.currentRoutes().settings.maxConnectionsPerWorker {
            for listener in self.listeners { listener.pause() }
        }
    }

    func unregister(_ connection: ClientConnection) {
        if let previous = connection.previous { previous.next = connection.next } else { self.firstConnection = connection.next }
        connection.next?.previous = connection.previous
        connection.next = nil
        connection.previous = nil
        self.connectionCount -= 1
        if self.connectionCount + 1 == self.currentRoutes().settings.maxConnectionsPerWorker {
            for listener in self.listeners { listener.resume() }
        }
        self.checkDrained()
    }

    private func checkDrained() {
        guard self.draining, self.connectionCount == 0, let done = self.onDrained else { return }
        self.onDrained = nil
        done()
    }

    /// Next upstream of `site` in round-robin order, skipping ones marked down unless all are.
    func pickUpstream(site: Int, of table: RouteTable, excluding tried: SocketAddress?) -> SocketAddress? {
        let upstreams = table.sites[site].upstreams
        guard !upstreams.isEmpty else { return nil }
        if self.roundRobin.count < table.sites.count { self.roundRobin += Array(repeating: 0, count: table.sites.count - self.roundRobin.count) }
        let now = Clock.monotonic()
        let start = self.roundRobin[site]
        self.roundRobin[site] = (start + 1) % upstreams.count
        for offset in 0..<upstreams.count {
            let candidate = upstreams[(start + offset) % upstreams.count]
            if candidate != tried, self.health.isUp(candidate, now: now) { return candidate }
        }
        return tried == nil ? upstreams[start % upstreams.count] : nil
    }
}

/// A listener's role: TLS termination with a front context, or plain HTTP (challenges + redirect).
public struct ListenerEndpoint: Sendable {
    public var tls: FrontTLSContext?
    public var httpsRedirectPort: Int
    public init(tls: FrontTLSContext?, httpsRedirectPort: Int) {
        self.tls = tls
        self.httpsRedirectPort = httpsRedirectPort
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
