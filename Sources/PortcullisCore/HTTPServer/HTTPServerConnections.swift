internal import CLibevent
import Glibc

/// Bounds the open connections of one `HTTPServer`. libevent 2.1's evhttp has no connection cap
/// (`evhttp_set_max_connections` is 2.2) and no callback when a connection that never sent a request
/// closes, so the server holds one extra reference on every connection's bufferevent: once evhttp has
/// freed a connection, its callbacks are cleared, and a sweep (on each new connection and once a second)
/// drops our reference, which destroys the bufferevent (closing its socket and `SSL` if it owns them).
/// At the cap the oldest connection is shut down to make room, as nginx reuses idle keep-alive
/// connections: a stale or idle one is far likelier to be the oldest than a request in progress.
final class HTTPServerConnections {
    /// Most connections open at once.
    let limit: Int
    /// Live connections, oldest first (each holds our reference).
    private var open: [OpaquePointer] = []
    /// Shut down to make room, not yet freed by evhttp (still our reference).
    private var closing: [OpaquePointer] = []
    /// How many connections were shut down at the cap (for tests and logs).
    private(set) var evictions = 0

    init(limit: Int) { self.limit = max(1, limit) }

    /// Live connections now (after a sweep).
    var count: Int {
        self.sweep()
        return self.open.count
    }

    /// Takes a new connection's bufferevent, making room first if the cap is reached.
    func admit(_ bev: OpaquePointer) {
        self.sweep()
        while self.open.count >= self.limit {
            let oldest = self.open.removeFirst()
            let fd = bufferevent_getfd(oldest)
            if fd >= 0 { _ = shutdown(fd, Int32(SHUT_RDWR)) }  // evhttp sees EOF and frees it
            self.closing.append(oldest)
            self.evictions += 1
        }
        bufferevent_incref(bev)
        self.open.append(bev)
    }

    /// Drops our reference on every bufferevent evhttp has freed.
    func sweep() {
        self.open.removeAll(where: Self.releaseIfFreed)
        self.closing.removeAll(where: Self.releaseIfFreed)
    }

    /// Drops every reference (after `evhttp_free`, which freed the connections).
    func releaseAll() {
        for bev in self.open + self.closing { _ = bufferevent_decref(bev) }
        (self.open, self.closing) = ([], [])
    }

    /// `bufferevent_free` clears the callbacks that evhttp set right after creating the connection.
    private static func releaseIfFreed(_ bev: OpaquePointer) -> Bool {
        var read: bufferevent_data_cb? = nil
        var write: bufferevent_data_cb? = nil
        var event: bufferevent_event_cb? = nil
        var argument: UnsafeMutableRawPointer? = nil
        bufferevent_getcb(bev, &read, &write, &event, &argument)
        guard read == nil && event == nil else { return false }
        _ = bufferevent_decref(bev)
        return true
    }
}
