internal import CLibevent
import PortcullisCore

/// Reading the upstream's response head, streaming the body to the client, and Upgrade tunnels.
extension ClientConnection {
    /// Upstream bytes arrived.
    func onUpstreamReadable(_ upstream: UpstreamConnection) {
        switch self.phase {
        case .tunnel: self.pumpTunnel(fromClient: false)
        case .proxying: self.responseStarted ? self.pumpResponseBody() : self.readResponseHeads(upstream)
        default: break
        }
    }

    /// Parses heads until a final (non-1xx) one; interim 1xx responses are relayed as they are.
    private func readResponseHeads(_ upstream: UpstreamConnection) {
        let limits = self.routes.settings.limits
        while !self.responseStarted, self.upstream === upstream {
            let found = evbuffer_search(upstream.input, "\r\n\r\n", 4, nil)
            guard found.pos >= 0 else {
                if evbuffer_get_length(upstream.input) > limits.maxRequestLine + limits.maxHeaderBytes {
                    self.sendError(.badGateway, reason: "upstream response head too large")
                }
                return
            }
            let length = found.pos + 4
            let head = UnsafeRawBufferPointer(start: evbuffer_pullup(upstream.input, length), count: length)
            let response = self.worker.responseHead
            do {
                try response.parse(head)
            } catch {
                self.sendError(.badGateway, reason: "upstream sent an invalid response head")
                return
            }
            if response.status < 200, response.status != 101 {
                if self.requestMinorVersion == 1 { evbuffer_add(self.output, head.baseAddress, head.count) }
                evbuffer_drain(upstream.input, length)
                continue
            }
            self.startResponse(head: head, response: response, upstream: upstream)
        }
    }

    /// Sends the rewritten final head to the client and sets up body streaming or the tunnel.
    private func startResponse(head: UnsafeRawBufferPointer, response: ResponseHead, upstream: UpstreamConnection) {
        let framing = response.framing(requestWasHEAD: self.requestWasHEAD)
        let upgrading = response.status == 101
        if upgrading, !self.requestUpgrade {
            self.sendError(.badGateway, reason: "upstream switched protocols without an Upgrade request")
            return
        }
        self.upstreamWantsClose = response.wantsClose || framing == .untilClose
        // An HTTP/1.0 client cannot read chunked framing: decode it and delimit the body by closing.
        let dechunk = self.requestMinorVersion == 0 && framing == .chunked
        if framing == .untilClose || !self.requestDone || dechunk {
            self.closeAfterResponse = true
        }
        let sentFraming = dechunk ? BodyFraming.untilClose : framing
        DownstreamHead.write(head: head, response: response, framing: sentFraming, connection: self, into: &self.worker.scratch)
        self.worker.scratch.withUnsafeBytes { _ = evbuffer_add(self.output, $0.baseAddress, $0.count) }
        evbuffer_drain(upstream.input, head.count)
        self.log.status = response.status
        self.responseStarted = true
        if upgrading {
            self.startTunnel()
            return
        }
        self.response = dechunk ? .dechunked(ChunkedScanner()) : BodyProgress(framing)
        self.pumpResponseBody()
    }

    /// Moves response body bytes to the client, with backpressure.
    func pumpResponseBody() {
        guard let upstream = self.upstream else { return }
        switch Transfer.move(from: upstream.input, to: self.output, progress: &self.response) {
        case .failed:
            self.worker.logger.debug("upstream sent a malformed chunked body", metadata: ["upstream": "\(upstream.address)"])
            self.abort()
            return
        case .finished(let count):
            self.log.bytesSent += count
            self.onResponseComplete()
            return
        case .moved(let count):
            self.log.bytesSent += count
        }
        if evbuffer_get_length(self.output) >= Transfer.highWater { self.pauseUpstreamRead() }
    }

    private func onResponseComplete() {
        if self.requestDone {
            self.finishExchange(upstreamReusable: !self.upstreamWantsClose)
        } else {
            // The upstream answered before the request body ended: the connection cannot be resynced.
            self.closeAfterResponse = true
            self.finishExchange(upstreamReusable: false)
        }
    }

    /// Stops reading the upstream until the client has drained its output.
    func pauseUpstreamRead() {
        guard !self.upstreamReadPaused, let bev = self.bev else { return }
        self.upstreamReadPaused = true
        self.upstream?.disableRead()
        bufferevent_setwatermark(bev, Int16(EV_WRITE), Transfer.lowWater, 0)
    }

    /// Client output drained: read the upstream again.
    func resumeUpstreamRead() {
        guard let bev = self.bev else { return }
        self.upstreamReadPaused = false
        bufferevent_setwatermark(bev, Int16(EV_WRITE), 0, 0)
        self.upstream?.enableRead()
        if self.phase == .tunnel { self.pumpTunnel(fromClient: false) } else if self.responseStarted { self.pumpResponseBody() }
    }

    /// The upstream connection ended (EOF, error or timeout).
    func onUpstreamClosed(_ upstream: UpstreamConnection, _ failure: UpstreamFailure) {
        guard self.upstream === upstream else { return }
        if !upstream.isConnected {
            self.retryElsewhere(after: upstream, timedOut: failure == .timeout)
        } else if !self.responseStarted {
            self.countUpstreamError(failure == .timeout ? .timeout : .reset)
            self.worker.health.markDown(upstream.address, now: Clock.monotonic())
            self.sendError(failure == .timeout ? .gatewayTimeout : .badGateway,
                           reason: failure == .timeout ? "the upstream did not answer in time" : "the upstream closed the connection without answering")
        } else if self.phase == .tunnel {
            evbuffer_add_buffer(self.output, upstream.input)
            self.closeAfterResponse = true
            self.finishExchange(upstreamReusable: false)
        } else if case .untilClose = self.response, failure == .eof {
            self.log.bytesSent += evbuffer_get_length(upstream.input)
            evbuffer_add_buffer(self.output, upstream.input)
            self.response = .none
            self.closeAfterResponse = true
            self.finishExchange(upstreamReusable: false)
        } else {
            // Truncated body: deliver what arrived, then close so the client sees the short message.
            self.pumpResponseBody()
            if self.phase != .closed, self.phase != .closing, self.upstream != nil {
                self.closeAfterResponse = true
                self.finishExchange(upstreamReusable: false)
            }
        }
    }

    /// After 101 Switching Protocols: relay bytes both ways until either side closes.
    private func startTunnel() {
        self.phase = .tunnel
        self.requestDone = true
        let idle = self.routes.settings.idleTimeout
        self.setTimeouts(read: 0, write: idle)
        self.upstream?.setTimeouts(read: 0, write: idle)
        // Neither side's silence alone ends a tunnel (a server may push, a client may only listen);
        // tunnel_idle_timeout without a byte in either direction does.
        self.tunnelActivity = Clock.monotonic()
        if self.routes.settings.tunnelIdleTimeout > 0 { self.armDeadline(.tunnelIdle, in: self.routes.settings.tunnelIdleTimeout) }
        self.pumpTunnel(fromClient: false)
        self.pumpTunnel(fromClient: true)
    }

    /// Moves everything buffered on one side to the other, with backpressure.
    func pumpTunnel(fromClient: Bool) {
        guard self.phase == .tunnel, let upstream = self.upstream else { return }
        self.tunnelActivity = Clock.monotonic()
        if fromClient {
            evbuffer_add_buffer(upstream.output, self.input)
            upstream.flush()
            if evbuffer_get_length(upstream.output) >= Transfer.highWater { self.pauseClientRead() }
        } else {
            self.log.bytesSent += evbuffer_get_length(upstream.input)
            evbuffer_add_buffer(self.output, upstream.input)
            if evbuffer_get_length(self.output) >= Transfer.highWater { self.pauseUpstreamRead() }
        }
    }
}
