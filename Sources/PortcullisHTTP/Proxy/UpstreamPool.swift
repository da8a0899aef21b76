import PortcullisCore

/// Idle keep-alive connections to upstreams, per worker (nothing shared between threads).
///
/// A pooled connection is handed out only if the upstream has sent nothing since its last response
/// ended: bytes past the end of a response (or an EOF) are checked with a non-consuming peek at
/// check-in and again at checkout, so a pipelined request taking the connection at once (LIFO) can
/// never read a stray response as its own.
final class UpstreamPool {
    static let maxIdlePerUpstream = 64
    static let idleTimeout: Double = 30
    /// After a response that has no body by definition (a HEAD answer, 204, 304), a broken upstream
    /// may still send one a moment later. Such a connection waits this long in the pool (watched: any
    /// byte evicts it) before it can carry another request.
    static let bodilessQuarantine: Double = 1
    private var idle: [SocketAddress: [UpstreamConnection]] = [:]
    /// Open connections (busy and idle) per upstream, for `max_upstream_connections`.
    private var open: [SocketAddress: Int] = [:]

    /// Whether another connection to `address` may be opened under `cap` (0 = no cap of its own).
    func hasRoom(_ address: SocketAddress, cap: Int) -> Bool {
        cap == 0 || self.open[address, default: 0] < cap || !(self.idle[address]?.isEmpty ?? true)
    }

    /// A reusable idle connection to `address`, else a new one if `cap` allows; nil when neither.
    func connection(to address: SocketAddress, base: EventBase, connectTimeout: Double, cap: Int) -> UpstreamConnection? {
        if let pooled = self.checkout(address) { return pooled }
        guard cap == 0 || self.open[address, default: 0] < cap,
            let connection = UpstreamConnection(address: address, base: base, connectTimeout: connectTimeout)
        else { return nil }
        self.open[address, default: 0] += 1
        connection.counter = self
        return connection
    }

    /// Called by a counted connection when its socket closes.
    func connectionClosed(_ address: SocketAddress) {
        self.open[address, default: 1] -= 1
    }

    /// An idle connection to `address` that is safe to reuse, if any; stale ones found on the way are closed.
    func checkout(_ address: SocketAddress) -> UpstreamConnection? {
        guard let count = self.idle[address]?.count, count > 0 else { return nil }
        var now: Double?
        var index = count - 1
        while index >= 0 {
            let connection = self.idle[address]![index]
            if connection.hasUnexpectedInput() {
                self.idle[address]!.remove(at: index)
                connection.close()
            } else if connection.reusableAfter > 0, connection.reusableAfter > (now ?? Self.now(&now)) {
                // Still quarantined: leave it, look at older ones.
            } else {
                self.idle[address]!.remove(at: index)
                connection.pool = nil
                connection.reusableAfter = 0
                return connection
            }
            index -= 1
        }
        return nil
    }

    private static func now(_ cache: inout Double?) -> Double {
        let value = Clock.monotonic()
        cache = value
        return value
    }

    /// Parks a connection whose last response ended cleanly; it is watched for close while idle.
    func checkin(_ connection: UpstreamConnection) {
        let bodiless = connection.client.map(Self.lastResponseWasBodiless) ?? false
        connection.client = nil
        guard self.idle[connection.address, default: []].count < Self.maxIdlePerUpstream,
            !connection.hasUnexpectedInput()
        else {
            connection.close()
            return
        }
        connection.reusableAfter = bodiless ? Clock.monotonic() + Self.bodilessQuarantine : 0
        connection.setTimeouts(read: Self.idleTimeout, write: 0)
        connection.notifyWhenDrained(to: nil)
        connection.enableRead()
        self.idle[connection.address, default: []].append(connection)
        connection.pool = self
    }

    /// A response to HEAD, or a 204 or 304, ends with its head (RFC 9112 §6.3).
    private static func lastResponseWasBodiless(_ client: ClientConnection) -> Bool {
        client.requestWasHEAD || client.log.status == 204 || client.log.status == 304
    }

    /// Removes and closes one idle connection (it closed, timed out or sent stray bytes).
    func evict(_ connection: UpstreamConnection) {
        if let index = self.idle[connection.address]?.firstIndex(where: { $0 === connection }) {
            self.idle[connection.address]!.remove(at: index)
        }
        connection.close()
    }

    /// Closes every idle connection (shutdown).
    func closeAll() {
        for list in self.idle.values { for connection in list { connection.close() } }
        self.idle.removeAll()
    }

    /// Any event on an idle connection means it can no longer be trusted with a request.
    static func onIdleActivity(_ connection: UpstreamConnection) {
        guard let pool = connection.pool else {
            connection.close()
            return
        }
        connection.pool = nil
        pool.evict(connection)
    }
}
