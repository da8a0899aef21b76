internal import CLibevent
import PortcullisCore
import PortcullisTLS

/// Responses the proxy writes itself, the end of an exchange, and closing.
extension ClientConnection {
    /// Writes a complete response with a fixed body; then ends the exchange.
    func sendResponse(_ status: ProxyStatus, contentType: StaticString, body: [UInt8], location: [UInt8]? = nil) {
        guard let bev = self.bev else { return }
        // Take the worker's scratch buffer (swap, so appends never copy it) and give it back below.
        var out: [UInt8] = []
        swap(&out, &self.worker.scratch)
        out.removeAll(keepingCapacity: true)
        out.append(status.statusLine)
        out.append("\r\nContent-Type: ")
        out.append(contentType)
        out.append("\r\nContent-Length: ")
        out.appendDecimal(body.count)
        out.append("\r\n")
        if let location {
            out.append("Location: ")
            out.append(contentsOf: location)
            out.append("\r\n")
        }
        if self.endpoint.tls != nil, self.site >= 0, self.site < self.routes.sites.count, let hsts = self.routes.sites[self.site].hstsLine {
            out.append(contentsOf: hsts)
        }
        if self.closeAfterResponse { out.append("Connection: close\r\n") }
        out.append("\r\n")
        if !self.requestWasHEAD { out.append(contentsOf: body) }
        out.withUnsafeBytes { _ = bufferevent_write(bev, $0.baseAddress, $0.count) }
        swap(&out, &self.worker.scratch)
        self.log.status = status.rawValue
        self.log.bytesSent = body.count
        self.responseStarted = true
        if !self.requestDone { self.lingerOnClose = true }
        self.request = .none
        self.requestDone = true
        self.finishExchange(upstreamReusable: false)
    }

    /// Answers with an error status (if nothing was sent yet) and closes once it is flushed.
    func sendError(_ status: ProxyStatus, reason: StaticString) {
        guard !self.responseStarted, self.bev != nil else {
            self.abort()
            return
        }
        if let upstream = self.upstream {
            upstream.close()
            self.upstream = nil
        }
        if self.phase == .handshaking || self.log.started == 0 { self.log.begin(now: Clock.monotonic()) }
        self.closeAfterResponse = true
        self.lingerOnClose = true
        self.cancelDeadline()
        evbuffer_drain(self.input, evbuffer_get_length(self.input))
        var body: [UInt8] = []
        body.appendDecimal(status.rawValue)
        body.append(" ")
        body.append(reason)
        body.append("\n")
        self.sendResponse(status, contentType: "text/plain; charset=utf-8", body: body)
    }

    /// Ends the current exchange: logs it, parks or closes the upstream, then reads the next
    /// request or closes.
    func finishExchange(upstreamReusable: Bool) {
        self.countExchange()
        AccessLogWriter.write(&self.log, connection: self)
        if let upstream = self.upstream {
            self.upstream = nil
            if upstreamReusable, self.requestDone, evbuffer_get_length(upstream.input) == 0 {
                self.worker.pool.checkin(upstream)
            } else {
                upstream.close()
            }
        }
        self.log.started = 0
        self.cancelDeadline()
        self.headSearched = 0
        if !self.requestDone { self.lingerOnClose = true }
        if self.closeAfterResponse || !self.requestDone || self.worker.draining {
            self.closeWhenFlushed()
            return
        }
        self.phase = .readingHead
        self.upstreamReadPaused = false
        self.setTimeouts(read: self.routes.settings.idleTimeout, write: self.routes.settings.idleTimeout)
        if self.clientReadPaused {
            self.clientReadPaused = false
            self.enableRead()
        }
        if !self.insideProcessHeads, evbuffer_get_length(self.input) > 0 { self.processHeads() }
    }

    /// Stops reading and closes as soon as everything written has reached the socket.
    func closeWhenFlushed() {
        guard let bev = self.bev else { return }
        self.phase = .closing
        bufferevent_setwatermark(bev, Int16(EV_WRITE), 0, 0)
        if evbuffer_get_length(self.output) == 0 {
            self.closeOrLinger()
        }
    }

    /// Closes without waiting (peer gone, protocol error mid-stream).
    func abort() {
        self.close()
    }

    /// Frees both sides, sends close_notify if the TLS session is healthy, and drops the
    /// connection's own reference.
    func close() {
        guard self.phase != .closed else { return }
        self.countClose()
        self.phase = .closed
        if let upstream = self.upstream {
            upstream.close()
            self.upstream = nil
        }
        if let bev = self.bev {
            if let ssl = self.ssl, !self.sawFatalError { TLSSessionInfo.shutdown(ssl) }
            bufferevent_free(bev)
        }
        self.bev = nil
        self.ssl = nil
        self.freeDeadlineTimer()
        self.worker.unregister(self)
        Unmanaged.passUnretained(self).release()
    }
}
