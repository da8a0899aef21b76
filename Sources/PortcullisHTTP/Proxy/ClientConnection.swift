internal import CLibevent
import Glibc
import PortcullisCore
import PortcullisTLS

/// All per-connection state of one client connection (hitch's `proxystate`): the client
/// bufferevent, the upstream in use, and the progress of the current exchange. Confined to its
/// worker thread. Retained once when accepted (the bufferevent's cbarg) and released in `close()`.
final class ClientConnection {
    /// Where the connection is in its life.
    enum Phase { case handshaking, readingHead, proxying, tunnel, closing, closed }

    unowned(unsafe) let worker: HTTPWorker
    let endpoint: ListenerEndpoint
    let peer: SocketAddress
    var bev: OpaquePointer?
    var ssl: OpaquePointer?
    var phase: Phase
    unowned(unsafe) var next: ClientConnection?
    unowned(unsafe) var previous: ClientConnection?

    // The current exchange.
    var routes: RouteTable
    /// Index into `routes.sites`, or -1 before the Host is resolved.
    var site = -1
    var upstream: UpstreamConnection?
    var request = BodyProgress.none
    var response = BodyProgress.none
    var requestDone = true
    var responseStarted = false
    var requestWasHEAD = false
    var requestUpgrade = false
    var requestMinorVersion = 1
    var closeAfterResponse = false
    var clientReadPaused = false
    var upstreamReadPaused = false
    var sawFatalError = false
    var insideProcessHeads = false
    var upstreamAttempts = 0
    var upstreamWantsClose = false
    var log = AccessLogRecord()

    // Deadlines (ClientConnection+Timeouts).
    var deadlineTimer: OpaquePointer?
    var deadline = Deadline.none
    /// Bytes of the partial head already searched for its end (the search resumes there).
    var headSearched = 0
    /// Request body bytes received since `bodyRateStart` (for `min_body_rate`).
    var bodyBytes: Int64 = 0
    var bodyRateStart: Double = 0
    /// When a tunnel last moved a byte (for `tunnel_idle_timeout`).
    var tunnelActivity: Double = 0
    /// Close with a lingering read: the client may still be sending (error response, unread body).
    var lingerOnClose = false
    /// Reading paused because responses to pipelined requests pile up unread in the output.
    var pipelinePaused = false

    /// Accepts `fd`: wraps it in a TLS or plain bufferevent and starts reading.
    static func start(fd: Int32, peer: SocketAddress, endpoint: ListenerEndpoint, worker: HTTPWorker) {
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        if let front = endpoint.tls, OnDemandNames.shared.isOnDemand(listener: endpoint.metricsIndex) {
            return Self.startOnDemand(fd: fd, peer: peer, endpoint: endpoint, worker: worker, front: front)
        }
        let connection = ClientConnection(peer: peer, endpoint: endpoint, worker: worker)
        guard connection.open(fd: fd) else {
            Glibc.close(fd)
            return
        }
        _ = Unmanaged.passRetained(connection)
        worker.register(connection)
    }

    init(peer: SocketAddress, endpoint: ListenerEndpoint, worker: HTTPWorker) {
        self.worker = worker
        self.endpoint = endpoint
        self.peer = peer
        self.routes = worker.currentRoutes()
        self.phase = endpoint.tls == nil ? .readingHead : .handshaking
    }

    /// `handshaken`: an `SSL` whose handshake already completed on `fd` (on-demand listeners).
    func open(fd: Int32, handshaken: OpaquePointer? = nil) -> Bool {
        let options = Int32(BEV_OPT_CLOSE_ON_FREE.rawValue | BEV_OPT_DEFER_CALLBACKS.rawValue)
        let base = self.worker.base.raw
        if let ssl = handshaken {
            self.ssl = ssl
            self.bev = bufferevent_openssl_socket_new(base, fd, ssl, BUFFEREVENT_SSL_OPEN, options)
        } else if let front = self.endpoint.tls {
            guard let ssl = front.makeServerSSL() else { return false }
            self.ssl = ssl
            self.bev = bufferevent_openssl_socket_new(base, fd, ssl, BUFFEREVENT_SSL_ACCEPTING, options)
        } else {
            self.bev = bufferevent_socket_new(base, fd, options)
        }
        guard let bev = self.bev, self.makeDeadlineTimer() else { return false }
        bufferevent_setcb(bev, onClientRead, onClientWrite, onClientEvent, Unmanaged.passUnretained(self).toOpaque())
        // libevent's defaults (16 KiB per wakeup) cost a loop iteration per TLS record on bulk transfers.
        _ = bufferevent_set_max_single_read(bev, 64 * 1024)
        _ = bufferevent_set_max_single_write(bev, Transfer.highWater)
        let settings = self.routes.settings
        self.setTimeouts(read: self.ssl == nil ? settings.idleTimeout : settings.handshakeTimeout, write: settings.handshakeTimeout)
        // The handshake must finish within handshake_timeout in total, however slowly bytes trickle in.
        if self.ssl != nil { self.armDeadline(.handshake, in: settings.handshakeTimeout) }
        bufferevent_enable(bev, Int16(EV_READ | EV_WRITE))
        return true
    }

    var input: OpaquePointer { bufferevent_get_input(self.bev!) }
    var output: OpaquePointer { bufferevent_get_output(self.bev!) }

    func setTimeouts(read: Double, write: Double) {
        guard let bev = self.bev else { return }
        BufferEventTimeouts.set(bev, read: read, write: write)
    }

    func enableRead() { if let bev = self.bev { bufferevent_enable(bev, Int16(EV_READ)) } }
    func disableRead() { if let bev = self.bev { bufferevent_disable(bev, Int16(EV_READ)) } }

    // MARK: Client events

    fileprivate func onReadable() {
        switch self.phase {
        case .readingHead: self.processHeads()
        case .proxying: self.pumpRequestBody()
        case .tunnel: self.pumpTunnel(fromClient: true)
        case .closing: evbuffer_drain(self.input, evbuffer_get_length(self.input))
        case .handshaking, .closed: break
        }
    }

    fileprivate func onWritable() {
        switch self.phase {
        case .closing:
            if evbuffer_get_length(self.output) == 0, self.deadline != .linger { self.closeOrLinger() }
        case .readingHead:
            if self.pipelinePaused, evbuffer_get_length(self.output) <= Transfer.lowWater { self.resumePipelinedHeads() }
        case .proxying, .tunnel:
            if self.upstreamReadPaused, evbuffer_get_length(self.output) <= Transfer.lowWater { self.resumeUpstreamRead() }
        default: break
        }
    }

    fileprivate func onEvent(_ events: Int16) {
        let flags = Int32(events)
        if flags & Int32(BEV_EVENT_CONNECTED) != 0 {
            self.onHandshakeDone()
            return
        }
        if flags & Int32(BEV_EVENT_ERROR) != 0 { self.sawFatalError = true }
        if flags & Int32(BEV_EVENT_TIMEOUT) != 0 {
            // While closing, only a stalled write matters: a read timer that fires with an answer still
            // queued must not drop it.
            if self.phase == .closing, flags & Int32(BEV_EVENT_WRITING) == 0 { return }
            self.onClientTimeout()
            return
        }
        // EOF or error from the client: nobody is left to answer.
        self.abort()
    }

    func onHandshakeDone() {
        self.countHandshake()
        // A CA validating TLS-ALPN-01 only needs the handshake (RFC 8737 §3): close right away.
        if let ssl = self.ssl, TLSSessionInfo.negotiatedACMEChallenge(ssl) { return self.close() }
        self.phase = .readingHead
        self.cancelDeadline()
        self.setTimeouts(read: self.routes.settings.idleTimeout, write: self.routes.settings.idleTimeout)
        if evbuffer_get_length(self.input) > 0 { self.processHeads() }
    }

    private func onClientTimeout() {
        if self.phase == .readingHead, evbuffer_get_length(self.input) > 0 {
            self.sendError(.requestTimeout, reason: "request head not received in time")
        } else if self.phase == .proxying, !self.requestDone, !self.responseStarted {
            self.sendError(.requestTimeout, reason: "request body not received in time")
        } else {
            self.abort()
        }
    }

    /// Called when the worker drains: closes the connection now if no request is in progress.
    func drainIfIdle() {
        if self.phase == .readingHead || self.phase == .handshaking { self.abort() }
    }
}

private let onClientRead: bufferevent_data_cb = { _, arg in
    let connection = Unmanaged<ClientConnection>.fromOpaque(arg!).takeUnretainedValue()
    withExtendedLifetime(connection) { connection.onReadable() }
}

private let onClientWrite: bufferevent_data_cb = { _, arg in
    let connection = Unmanaged<ClientConnection>.fromOpaque(arg!).takeUnretainedValue()
    withExtendedLifetime(connection) { connection.onWritable() }
}

private let onClientEvent: bufferevent_event_cb = { _, events, arg in
    let connection = Unmanaged<ClientConnection>.fromOpaque(arg!).takeUnretainedValue()
    withExtendedLifetime(connection) { connection.onEvent(events) }
}
