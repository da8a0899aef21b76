internal import CLibevent
import Glibc
import PortcullisCore
import PortcullisTLS

/// The connection's absolute deadlines. The bufferevent timeouts are inactivity timers that every byte
/// resets, so a client trickling one byte at a time could hold a handshake or a request head open
/// forever (slowloris). One libevent timer per connection carries the deadline of the current state
/// instead: the handshake, the request head, the request body's minimum rate, the tunnel's idle time,
/// and the lingering close. Nothing here runs per read except the tunnel's activity stamp.
extension ClientConnection {
    /// What the deadline timer is armed for.
    enum Deadline { case none, handshake, head, bodyRate, tunnelIdle, linger }

    /// How long a closing connection keeps reading (and discarding) what the client still sends after an
    /// error response, so the kernel does not answer those bytes with a reset that destroys the response.
    static let lingerTime: Double = 2

    /// Creates the (disarmed) deadline timer; called once when the connection opens.
    func makeDeadlineTimer() -> Bool {
        self.deadlineTimer = event_new(self.worker.base.raw, -1, 0, onClientDeadline, Unmanaged.passUnretained(self).toOpaque())
        return self.deadlineTimer != nil
    }

    /// Arms the deadline timer to fire `seconds` from now for `kind` (replacing any earlier deadline).
    func armDeadline(_ kind: Deadline, in seconds: Double) {
        guard let timer = self.deadlineTimer else { return }
        self.deadline = kind
        var tv = timeval(seconds: max(seconds, 0.001))
        event_add(timer, &tv)
    }

    /// Disarms the deadline timer.
    func cancelDeadline() {
        guard self.deadline != .none, let timer = self.deadlineTimer else { return }
        self.deadline = .none
        event_del(timer)
    }

    /// Frees the timer; part of `close()`.
    func freeDeadlineTimer() {
        if let timer = self.deadlineTimer { event_free(timer) }
        self.deadlineTimer = nil
        self.deadline = .none
    }

    /// The first byte of a request head (an empty line counts) starts its absolute deadline.
    func startHeadDeadlineIfNeeded() {
        guard self.deadline != .head else { return }
        self.armDeadline(.head, in: self.routes.settings.requestHeadTimeout)
    }

    /// A head was parsed: the body (if any) is now bound by its minimum rate, the client side is quiet
    /// while the upstream answers.
    func onHeadComplete() {
        self.cancelDeadline()
        self.headSearched = 0
        let settings = self.routes.settings
        if self.requestDone {
            // Waiting for the upstream: only upstream_response_timeout applies (504).
            self.setTimeouts(read: 0, write: settings.idleTimeout)
            return
        }
        self.setTimeouts(read: settings.idleTimeout, write: settings.idleTimeout)
        self.bodyBytes = 0
        if settings.minBodyRate > 0 {
            self.bodyRateStart = Clock.monotonic()
            self.armDeadline(.bodyRate, in: settings.bodyRateGrace)
        }
    }

    /// The request body ended: stop its clocks; the client may stay silent until the response is sent.
    func onRequestBodyComplete() {
        if self.deadline == .bodyRate { self.cancelDeadline() }
        self.setTimeouts(read: 0, write: self.routes.settings.idleTimeout)
    }

    fileprivate func onDeadline() {
        let kind = self.deadline
        self.deadline = .none
        switch kind {
        case .none: return
        case .handshake:
            self.worker.logger.debug("tls handshake not finished in time", metadata: ["peer": "\(self.peer)"])
            self.abort()
        case .head:
            guard self.phase == .readingHead else { return }
            self.sendError(.requestTimeout, reason: "request head not received in time")
        case .bodyRate: self.checkBodyRate()
        case .tunnelIdle: self.checkTunnelIdle()
        case .linger: self.close()
        }
    }

    /// `min_body_rate`: after the grace period the body must have averaged at least that many bytes per
    /// second. Time spent paused by our own backpressure (a slow upstream) does not count.
    private func checkBodyRate() {
        guard self.phase == .proxying, !self.requestDone else { return }
        let settings = self.routes.settings
        let now = Clock.monotonic()
        if self.clientReadPaused {
            self.bodyRateStart = now
            self.bodyBytes = 0
            self.armDeadline(.bodyRate, in: settings.bodyRateGrace)
            return
        }
        let due = self.bodyRateStart + settings.bodyRateGrace + Double(self.bodyBytes) / Double(settings.minBodyRate)
        if now < due {
            self.armDeadline(.bodyRate, in: due - now)
        } else {
            self.sendError(.requestTimeout, reason: "request body arrived slower than min_body_rate")
        }
    }

    /// `tunnel_idle_timeout`: a tunnel with no bytes in either direction for that long is closed.
    private func checkTunnelIdle() {
        guard self.phase == .tunnel else { return }
        let idle = self.routes.settings.tunnelIdleTimeout
        let quiet = Clock.monotonic() - self.tunnelActivity
        if quiet >= idle {
            self.abort()
        } else {
            self.armDeadline(.tunnelIdle, in: idle - quiet)
        }
    }

    /// Everything is flushed: close now, or first linger if the client may still be sending (an error
    /// response or an unread body), so that it reads our answer instead of a connection reset.
    func closeOrLinger() {
        guard self.lingerOnClose, !self.sawFatalError, let bev = self.bev else {
            self.close()
            return
        }
        self.lingerOnClose = false
        if let ssl = self.ssl { TLSSessionInfo.shutdown(ssl) }
        Glibc.shutdown(bufferevent_getfd(bev), Int32(SHUT_WR))
        evbuffer_drain(self.input, evbuffer_get_length(self.input))
        self.setTimeouts(read: 0, write: 0)
        self.enableRead()
        self.armDeadline(.linger, in: Self.lingerTime)
    }
}

private let onClientDeadline: event_callback_fn = { _, _, arg in
    let connection = Unmanaged<ClientConnection>.fromOpaque(arg!).takeUnretainedValue()
    withExtendedLifetime(connection) { connection.onDeadline() }
}
