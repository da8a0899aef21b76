import PortcullisCore

/// Idle keep-alive connections to upstreams, per worker (nothing shared between threads).
final class UpstreamPool {
    static let maxIdlePerUpstream = 64
    static let idleTimeout: Double = 30
    private var idle: [SocketAddress: [UpstreamConnection]] = [:]

    /// An idle, connected connection to `address`, if any.
    func checkout(_ address: SocketAddress) -> UpstreamConnection? {
        guard let connection = self.idle[address]?.popLast() else { return nil }
        connection.pool = nil
        return connection
    }

    /// Parks a connection whose last response ended cleanly; it is watched for close while idle.
    func checkin(_ connection: UpstreamConnection) {
        connection.client = nil
        guard self.idle[connection.address, default: []].count < Self.maxIdlePerUpstream else {
            connection.close()
            return
        }
        connection.setTimeouts(read: Self.idleTimeout, write: 0)
        connection.notifyWhenDrained(to: nil)
        connection.enableRead()
        self.idle[connection.address, default: []].append(connection)
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

