import PortcullisCore

/// Idle keep-alive connections to upstreams, per worker (nothing shared between threads).
final class UpstreamPool {
    static let maxIdlePerUpstream = 64
    static let idleTimeout: Double = 30
    private var idle: [SocketAddress: [UpstreamConnection]] = [:]

    /// An idle, connected connection to `address`, if any.
    func checkout(_ address: SocketAddress) -> UpstreamConnection? {
        guard var list = self.idle[address], let connection = list.popLast() else { return nil }
        self.idle[address] = list
        connection.pool = nil
        connection.isReused = true
        return connection
    }

    /// Parks a connection whose last response ended cleanly; it is watched for close while idle.
    func checkin(_ connection: UpstreamConnection) {
        connection.client = nil
        var list = self.idle[connection.address, default: []]
        guard list.count < Self.maxIdlePerUpstream else {
            connection.close()
            return
        }
        connection.setTimeouts(read: Self.idleTimeout, write: 0)
        connection.setWriteWatermark(low: 0)
        connection.enableRead()
        connection.idleSince = Clock.monotonic()
        list.append(connection)
        self.idle[connection.address] = list
        connection.pool = self
    }

    /// Removes and closes one idle connection (it closed, timed out or sent stray bytes).
    func evict(_ connection: UpstreamConnection) {
        if var list = self.idle[connection.address], let index = list.firstIndex(where: { $0 === connection }) {
            list.remove(at: index)
            self.idle[connection.address] = list
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

