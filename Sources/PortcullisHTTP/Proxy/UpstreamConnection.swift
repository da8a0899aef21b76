internal import CLibevent
import Glibc
import PortcullisCore

/// One TCP connection to an upstream server. While a request uses it, its owner is the client
/// connection; while idle it sits in the worker's pool. The bufferevent's cbarg is unretained: the
/// owner (client or pool) holds the only reference and calls `close()` before letting go.
final class UpstreamConnection {
    let address: SocketAddress
    private(set) var bev: OpaquePointer?
    /// The client connection using it, or nil while pooled.
    unowned(unsafe) var client: ClientConnection?
    /// The pool holding it while idle.
    unowned(unsafe) var pool: UpstreamPool?
    var isConnected = false
    /// True once it has been used for a request (a pooled connection).
    var isReused = false
    /// Pool bookkeeping.
    var idleSince: Double = 0

    /// Starts a non-blocking connect; returns nil if the socket could not be created.
    init?(address: SocketAddress, base: EventBase) {
        self.address = address
        let options = Int32(BEV_OPT_CLOSE_ON_FREE.rawValue | BEV_OPT_DEFER_CALLBACKS.rawValue)
        guard let bev = bufferevent_socket_new(base.raw, -1, options) else { return nil }
        self.bev = bev
        let arg = Unmanaged.passUnretained(self).toOpaque()
        bufferevent_setcb(bev, onUpstreamRead, onUpstreamWrite, onUpstreamEvent, arg)
        let status = address.withSockAddr { pointer, length in
            bufferevent_socket_connect(bev, UnsafeMutablePointer(mutating: pointer), Int32(length))
        }
        if status != 0 {
            bufferevent_free(bev)
            self.bev = nil
            return nil
        }
        bufferevent_enable(bev, Int16(EV_READ | EV_WRITE))
    }

    deinit { self.close() }

    var input: OpaquePointer { bufferevent_get_input(self.bev!) }
    var output: OpaquePointer { bufferevent_get_output(self.bev!) }

    /// Frees the socket; no callback fires afterwards.
    func close() {
        if let bev = self.bev { bufferevent_free(bev) }
        self.bev = nil
        self.client = nil
        self.pool = nil
    }

    /// Sets the read and write timeouts (seconds; 0 = none).
    func setTimeouts(read: Double, write: Double) {
        guard let bev = self.bev else { return }
        BufferEventTimeouts.set(bev, read: read, write: write)
    }

    func enableRead() { if let bev = self.bev { bufferevent_enable(bev, Int16(EV_READ)) } }
    func disableRead() { if let bev = self.bev { bufferevent_disable(bev, Int16(EV_READ)) } }

    /// Low write watermark: the write callback fires when output drains to `low` bytes.
    func setWriteWatermark(low: Int) { if let bev = self.bev { bufferevent_setwatermark(bev, Int16(EV_WRITE), low, 0) } }

    fileprivate func onConnected() {
        self.isConnected = true
        if let bev = self.bev {
            var one: Int32 = 1
            setsockopt(bufferevent_getfd(bev), Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        }
    }

    fileprivate func dispatchRead() {
        if let client = self.client { client.onUpstreamReadable(self) } else { UpstreamPool.onIdleActivity(self) }
    }

    fileprivate func dispatchWrite() { self.client?.onUpstreamWritable(self) }

    fileprivate func dispatchEvent(_ events: Int16) {
        let flags = Int32(events)
        if flags & Int32(BEV_EVENT_CONNECTED) != 0 {
            self.onConnected()
            self.client?.onUpstreamConnected(self)
            return
        }
        let kind: UpstreamFailure = flags & Int32(BEV_EVENT_TIMEOUT) != 0 ? .timeout : (flags & Int32(BEV_EVENT_EOF) != 0 ? .eof : .error)
        if let client = self.client { client.onUpstreamClosed(self, kind) } else { UpstreamPool.onIdleActivity(self) }
    }
}

/// How an upstream connection ended.
enum UpstreamFailure { case eof, error, timeout }

/// `bufferevent_set_timeouts` with seconds; 0 disables a timeout.
enum BufferEventTimeouts {
    static func set(_ bev: OpaquePointer, read: Double, write: Double) {
        var readTV = timeval(seconds: read)
        var writeTV = timeval(seconds: write)
        withUnsafePointer(to: &readTV) { readPointer in
            withUnsafePointer(to: &writeTV) { writePointer in
                _ = bufferevent_set_timeouts(bev, read > 0 ? readPointer : nil, write > 0 ? writePointer : nil)
            }
        }
    }
}

extension timeval {
    init(seconds: Double) {
        let whole = Int(seconds)
        self.init(tv_sec: whole, tv_usec: Int((seconds - Double(whole)) * 1_000_000))
    }
}

private let onUpstreamRead: bufferevent_data_cb = { _, arg in
    let upstream = Unmanaged<UpstreamConnection>.fromOpaque(arg!).takeUnretainedValue()
    withExtendedLifetime(upstream) { upstream.dispatchRead() }
}

private let onUpstreamWrite: bufferevent_data_cb = { _, arg in
    let upstream = Unmanaged<UpstreamConnection>.fromOpaque(arg!).takeUnretainedValue()
    withExtendedLifetime(upstream) { upstream.dispatchWrite() }
}

private let onUpstreamEvent: bufferevent_event_cb = { _, events, arg in
    let upstream = Unmanaged<UpstreamConnection>.fromOpaque(arg!).takeUnretainedValue()
    withExtendedLifetime(upstream) { upstream.dispatchEvent(events) }
}
