internal import CLibevent
import PortcullisCore
import PortcullisTLS

/// Reading request heads, routing them, and answering what the proxy answers itself.
extension ClientConnection {
    /// Parses and handles every complete head in the input (pipelining), one exchange at a time.
    func processHeads() {
        self.insideProcessHeads = true
        defer { self.insideProcessHeads = false }
        while self.phase == .readingHead, self.bev != nil, evbuffer_get_length(self.input) > 0 {
            // Responses to pipelined requests that the client does not read: stop until it catches up.
            if evbuffer_get_length(self.output) >= Transfer.highWater {
                self.pausePipelinedHeads()
                return
            }
            // Any byte, an empty line included, starts the head's absolute deadline.
            self.startHeadDeadlineIfNeeded()
            // RFC 9112 §2.2: ignore empty lines received before a request line.
            if let first = evbuffer_pullup(self.input, 1), first.pointee == 0x0D || first.pointee == 0x0A {
                evbuffer_drain(self.input, 1)
                continue
            }
            guard let headLength = self.completeHeadLength() else { return }
            self.routes = self.worker.currentRoutes()
            guard let pointer = evbuffer_pullup(self.input, headLength) else { return }
            let head = UnsafeRawBufferPointer(start: pointer, count: headLength)
            do {
                try self.worker.requestHead.parse(head)
            } catch {
                self.sendError(ProxyStatus(parseError: error), reason: error.reasonText)
                return
            }
            self.handleRequest(head: head)
        }
    }

    /// Length of the head through CRLFCRLF, or nil (waiting for more, or a limit error was sent). The
    /// search resumes where the previous read's search stopped, so a head arriving in many small reads
    /// costs linear time; at most `maxHeadBytes` are looked at (pulled up into one chain, which
    /// libevent grows geometrically, and which the parse needs contiguous anyway).
    private func completeHeadLength() -> Int? {
        let limits = self.routes.settings.limits
        let window = min(evbuffer_get_length(self.input), limits.maxHeadBytes)
        guard let pointer = evbuffer_pullup(self.input, window) else { return nil }
        let bytes = UnsafeRawBufferPointer(start: pointer, count: window)
        do throws(HTTPParseError) {
            if let end = try HeadBoundary.find(in: bytes, from: min(self.headSearched, window), limits: limits) {
                self.headSearched = 0
                return end
            }
        } catch {
            self.sendError(ProxyStatus(parseError: error), reason: error == .uriTooLong ? "request line too long" : "request head too large")
            return nil
        }
        self.headSearched = window
        return nil
    }

    /// Stops reading requests while their responses wait in the output (bounded pipelining).
    private func pausePipelinedHeads() {
        guard let bev = self.bev, !self.pipelinePaused else { return }
        self.pipelinePaused = true
        self.disableRead()
        bufferevent_setwatermark(bev, Int16(EV_WRITE), Transfer.lowWater, 0)
    }

    /// The client read enough of the output: go on with the queued requests.
    func resumePipelinedHeads() {
        guard let bev = self.bev, self.pipelinePaused else { return }
        self.pipelinePaused = false
        bufferevent_setwatermark(bev, Int16(EV_WRITE), 0, 0)
        if !self.clientReadPaused { self.enableRead() }
        self.processHeads()
    }

    /// Routes one parsed request; the head bytes are still at the front of the input.
    private func handleRequest(head: UnsafeRawBufferPointer) {
        let request = self.worker.requestHead
        self.log.begin(head: head, request: request, now: Clock.monotonic(), enabled: self.routes.settings.accessLog.isEnabled)
        self.requestWasHEAD = request.isHEAD
        self.requestMinorVersion = request.versionMinor
        self.requestUpgrade = request.upgrade != nil
        self.closeAfterResponse = request.wantsClose || self.worker.draining
        self.request = BodyProgress(request.framing)
        self.requestDone = self.request.isComplete
        self.responseStarted = false
        self.site = -1
        self.onHeadComplete()
        if self.endpoint.tls == nil {
            self.handlePlainHTTP(head: head, request: request)
            return
        }
        guard let site = self.resolveSite(head: head, request: request) else { return }
        self.site = site
        let maxBody = self.routes.settings.maxBodyBytes
        if maxBody > 0, case .contentLength(let length) = request.framing, length > maxBody {
            self.sendError(.contentTooLarge, reason: "request body larger than max_body_bytes")
            return
        }
        if let body = self.routes.sites[site].respondBody {
            evbuffer_drain(self.input, head.count)
            if !self.requestDone { self.closeAfterResponse = true }
            self.sendResponse(.ok, contentType: "text/plain; charset=utf-8", body: body)
            return
        }
        self.startProxying(head: head, request: request)
    }

    /// The site for the Host header, checked against what the handshake enforced (421): the same
    /// certificate is not enough, the policy (mTLS included) must be the one that host's handshake applies.
    /// A Host no site names goes where the listener's `unknown_host` says.
    private func resolveSite(head: UnsafeRawBufferPointer, request: RequestHead) -> Int? {
        let selected = self.ssl.flatMap { TLSSessionInfo.selectedCertificateID($0) }
        var site: Int?
        if let host = request.host {
            site = self.routes.site(forHostHeader: head.span(host))
        } else if let selected {
            site = self.routes.sites.firstIndex { $0.certificateID == selected }
        }
        guard let site else { return self.resolveUnknownHost() }
        if let selected, selected != self.routes.sites[site].certificateID || !self.handshakeCovers(request, head) {
            self.sendError(.misdirected, reason: "this connection's handshake does not cover the requested host")
            return nil
        }
        return site
    }

    /// `unknown_host`: 404, 421, or the default site, which only a handshake made for that site may reach
    /// (its policy and client-certificate checks cannot be skipped by sending an unknown Host).
    private func resolveUnknownHost() -> Int? {
        switch self.routes.unknownHostRoute(listener: self.endpoint.metricsIndex) {
        case .notFound:
            self.sendError(.notFound, reason: "no site is configured for this host")
        case .misdirected:
            self.sendError(.misdirected, reason: "no site is configured for this host")
        case .site(let site):
            let certificateID = self.routes.sites[site].certificateID
            if let ssl = self.ssl, let front = self.endpoint.tls,
                !front.handshake(ssl, enforcesSiteOf: certificateID, in: self.routes.certificates)
            {
                self.sendError(.misdirected, reason: "this connection's handshake does not cover the default site")
                return nil
            }
            return site
        }
        return nil
    }

    /// Whether the TLS handshake enforced what a handshake for the request's Host would have.
    private func handshakeCovers(_ request: RequestHead, _ head: UnsafeRawBufferPointer) -> Bool {
        guard let host = request.host, let ssl = self.ssl, let front = self.endpoint.tls else { return true }
        return withUnsafeTemporaryAllocation(byteCount: 256, alignment: 1) { buffer in
            let count = HostName.normalize(head.span(host), into: buffer)
            return count > 0 && front.handshake(
                ssl, enforcesHost: UnsafeRawBufferPointer(rebasing: buffer[0..<count]), in: self.routes.certificates)
        }
    }

    /// Plain-HTTP listener: ACME HTTP-01 tokens, everything else redirects to HTTPS.
    private func handlePlainHTTP(head: UnsafeRawBufferPointer, request: RequestHead) {
        let target = head.span(request.target)
        let prefix: StaticString = "/.well-known/acme-challenge/"
        if target.count > prefix.utf8CodeUnitCount, target.starts(with: UnsafeRawBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount)) {
            let token = UnsafeRawBufferPointer(rebasing: target[prefix.utf8CodeUnitCount...])
            let answer = self.worker.plane.challenges.keyAuthorization(token: token)
            evbuffer_drain(self.input, head.count)
            if !self.requestDone { self.closeAfterResponse = true }
            if let answer {
                self.sendResponse(.ok, contentType: "text/plain", body: answer)
            } else {
                self.sendResponse(.notFound, contentType: "text/plain", body: Array("unknown ACME challenge token\n".utf8))
            }
            return
        }
        guard let host = request.host else {
            self.sendError(.badRequest, reason: "a redirect to HTTPS needs a Host header")
            return
        }
        // Only to configured hosts (exact or wildcard): an open redirector for any Host would lend our name to phishing.
        guard self.routes.site(forHostHeader: head.span(host)) != nil else {
            self.sendError(.notFound, reason: "no site is configured for this host")
            return
        }
        var location: [UInt8] = []
        Redirect.location(host: head.span(host), target: target, httpsPort: self.endpoint.httpsRedirectPort, into: &location)
        evbuffer_drain(self.input, head.count)
        if !self.requestDone { self.closeAfterResponse = true }
        self.sendResponse(.movedPermanently, contentType: "text/plain", body: Array("redirecting to HTTPS\n".utf8), location: location)
    }
}

extension HTTPParseError {
    /// A short human-readable reason for the error body.
    var reasonText: StaticString {
        switch self {
        case .badRequest(let reason): return reason.message
        case .uriTooLong: return "request line too long"
        case .headerFieldsTooLarge: return "request header fields too large"
        case .notImplemented: return "transfer coding or request form not implemented"
        case .badGateway: return "invalid response from upstream"
        case .contentTooLarge: return "request body larger than max_body_bytes"
        @unknown default: return "invalid request"
        }
    }
}
