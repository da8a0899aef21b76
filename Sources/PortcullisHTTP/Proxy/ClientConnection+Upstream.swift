internal import CLibevent
import PortcullisCore

/// Choosing an upstream, sending it the request head, and streaming the request body.
extension ClientConnection {
    /// Picks an upstream, writes the rewritten head to it, and starts the body.
    func startProxying(head: UnsafeRawBufferPointer, request: RequestHead) {
        self.upstreamAttempts = 0
        guard let address = self.worker.pickUpstream(site: self.site, of: self.routes, excluding: nil) else {
            let none = self.routes.sites[self.site].upstreams.isEmpty
            self.sendError(.serviceUnavailable, reason: none ? "no upstream is configured for this site" : "no upstream of this site is available (down or at max_upstream_connections)")
            return
        }
        guard let upstream = self.worker.openUpstream(address, settings: self.routes.settings) else {
            self.sendError(.badGateway, reason: "could not open a connection to the upstream")
            return
        }
        self.attach(upstream)
        UpstreamHead.write(head: head, request: request, connection: self, into: &self.worker.scratch)
        self.worker.scratch.withUnsafeBytes { _ = evbuffer_add(upstream.output, $0.baseAddress, $0.count) }
        evbuffer_drain(self.input, head.count)
        self.phase = .proxying
        self.upstreamWantsClose = false
        self.pumpRequestBody()
        self.upstream?.flush()
    }

    /// Makes `upstream` this exchange's upstream and arms its timeouts.
    func attach(_ upstream: UpstreamConnection) {
        self.upstream = upstream
        upstream.client = self
        self.upstreamAttempts += 1
        let settings = self.routes.settings
        if upstream.isConnected {
            upstream.setTimeouts(read: self.requestDone ? settings.upstreamResponseTimeout : 0, write: settings.upstreamResponseTimeout)
            upstream.enableRead()
        } else {
            upstream.setTimeouts(read: 0, write: settings.upstreamConnectTimeout)
        }
    }

    /// Moves request body bytes from the client to the upstream, with backpressure.
    func pumpRequestBody() {
        guard self.phase == .proxying, let upstream = self.upstream else { return }
        if self.requestDone {
            // Pipelined bytes wait for the next exchange; stop reading if they pile up.
            if evbuffer_get_length(self.input) > self.routes.settings.limits.maxHeaderBytes { self.pauseClientRead() }
            return
        }
        let maxBody = self.routes.settings.maxBodyBytes
        switch Transfer.move(from: self.input, to: upstream.output, progress: &self.request, maxDataBytes: maxBody) {
        case .failed(let error):
            self.sendError(ProxyStatus(parseError: error), reason: error.reasonText)
            return
        case .finished(let count):
            self.bodyBytes += Int64(count)
            self.requestDone = true
            self.onRequestBodyComplete()
            if upstream.isConnected { upstream.setTimeouts(read: self.routes.settings.upstreamResponseTimeout, write: self.routes.settings.upstreamResponseTimeout) }
            upstream.flush()
            if self.responseStarted, case .none = self.response { self.finishExchange(upstreamReusable: !self.upstreamWantsClose) }
            return
        case .moved(let count):
            self.bodyBytes += Int64(count)
        }
        upstream.flush()
        if evbuffer_get_length(upstream.output) >= Transfer.highWater { self.pauseClientRead() }
    }

    /// Stops reading the client until the upstream has drained its output.
    func pauseClientRead() {
        guard !self.clientReadPaused else { return }
        self.clientReadPaused = true
        self.disableRead()
        self.upstream?.notifyWhenDrained(to: Transfer.lowWater)
    }

    /// Upstream write side drained: read the client again.
    func onUpstreamWritable(_ upstream: UpstreamConnection) {
        guard self.clientReadPaused, evbuffer_get_length(upstream.output) <= Transfer.lowWater else { return }
        self.clientReadPaused = false
        self.enableRead()
        if self.phase == .tunnel { self.pumpTunnel(fromClient: true) } else { self.pumpRequestBody() }
    }

    /// The TCP connect finished.
    func onUpstreamConnected(_ upstream: UpstreamConnection) {
        self.worker.health.markUp(upstream.address)
        let settings = self.routes.settings
        upstream.setTimeouts(read: self.requestDone ? settings.upstreamResponseTimeout : 0, write: settings.upstreamResponseTimeout)
    }

    /// A connect failed: mark the upstream down and move the unsent request to the next one.
    func retryElsewhere(after failed: UpstreamConnection, timedOut: Bool) {
        self.countUpstreamError(timedOut ? .timeout : .connect)
        self.worker.health.markDown(failed.address, now: Clock.monotonic())
        self.worker.logger.warning("upstream connect failed", metadata: ["upstream": "\(failed.address)", "timeout": "\(timedOut)"])
        let sites = self.routes.sites
        guard self.upstreamAttempts < sites[self.site].upstreams.count,
            let address = self.worker.pickUpstream(site: self.site, of: self.routes, excluding: failed.address),
            let next = self.worker.openUpstream(address, settings: self.routes.settings)
        else {
            self.sendError(timedOut ? .gatewayTimeout : .badGateway, reason: "the upstream could not be reached")
            return
        }
        evbuffer_add_buffer(next.output, failed.output)
        failed.close()
        self.attach(next)
        next.flush()
    }
}
