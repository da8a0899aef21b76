import Glibc
import PortcullisTLS

/// Writes the request head sent upstream: the client's head minus hop-by-hop and reserved fields
/// (see `ForwardingFields`), with the forwarding fields set by the proxy: X-Forwarded-For appended,
/// -Proto, -Host and -Port replaced, and `Forwarded` (RFC 7239) when the site asks for it.
enum UpstreamHead {
    static func write(head: UnsafeRawBufferPointer, request: RequestHead, connection: ClientConnection, into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        out.append(bytes: head.span(request.method))
        out.append(" ")
        // Absolute-form targets are sent on in origin form (RFC 9112 §3.2.2).
        let path = head.span(request.path)
        if path.first != UInt8(ascii: "/"), request.targetForm != .asterisk { out.append("/") }
        out.append(bytes: path)
        out.append(request.versionMinor == 0 ? " HTTP/1.0\r\n" : " HTTP/1.1\r\n")
        for field in request.headers where !field.isHopByHop && !ForwardingFields.isReserved(field, in: head) {
            // RFC 9112 §3.2.2: an absolute-form target's authority replaces Host (written below).
            if field.known == .host, request.targetForm == .absolute { continue }
            self.appendField(field, of: head, to: &out)
        }
        if request.targetForm == .absolute, let host = request.host {
            out.append("Host: ")
            out.append(bytes: head.span(host))
            out.append("\r\n")
        }
        withUnsafeTemporaryAllocation(byteCount: 64, alignment: 1) { buffer in
            let peer = UnsafeRawBufferPointer(rebasing: buffer[0..<connection.peer.writeIP(into: buffer)])
            self.appendForwarding(head: head, request: request, connection: connection, peer: peer, to: &out)
        }
        if let ssl = connection.ssl { ClientCertificateHeader.append(ssl, to: &out) }
        if request.framing == .chunked { out.append("Transfer-Encoding: chunked\r\n") }
        if let upgrade = request.upgrade {
            out.append("Connection: upgrade\r\nUpgrade: ")
            out.append(bytes: head.span(upgrade))
            out.append("\r\n")
        } else if request.versionMinor == 0 {
            out.append("Connection: close\r\n")
        }
        out.append("\r\n")
    }

    /// X-Forwarded-For (the client's list plus the peer), -Proto, -Host, -Port, and `Forwarded`.
    private static func appendForwarding(
        head: UnsafeRawBufferPointer, request: RequestHead, connection: ClientConnection, peer: UnsafeRawBufferPointer,
        to out: inout [UInt8]
    ) {
        let https = connection.endpoint.tls != nil
        out.append("X-Forwarded-For: ")
        for field in request.headers where field.known == .xForwardedFor && field.value.count > 0 {
            out.append(bytes: head.span(field.value))
            out.append(", ")
        }
        out.append(bytes: peer)
        out.append(https ? "\r\nX-Forwarded-Proto: https\r\n" : "\r\nX-Forwarded-Proto: http\r\n")
        if let host = request.host {
            out.append("X-Forwarded-Host: ")
            out.append(bytes: head.span(host))
            out.append("\r\n")
        }
        out.append("X-Forwarded-Port: ")
        out.appendDecimal(connection.endpoint.port)
        out.append("\r\n")
        if connection.site >= 0, connection.routes.sites[connection.site].forwarded {
            ForwardingFields.appendForwarded(
                peer: peer, isIPv6: connection.peer.family == AF_INET6, https: https,
                host: request.host.map { head.span($0) }, to: &out)
        }
    }

    @inline(__always)
    static func appendField(_ field: HeaderField, of head: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        out.append(bytes: head.span(field.name))
        out.append(": ")
        out.append(bytes: head.span(field.value))
        out.append("\r\n")
    }
}

/// Writes the response head sent to the client: the upstream's head minus hop-by-hop fields, with
/// framing, HSTS and connection handling set by the proxy.
enum DownstreamHead {
    static func write(head: UnsafeRawBufferPointer, response: ResponseHead, framing: BodyFraming, connection: ClientConnection, into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        out.append("HTTP/1.1 ")
        out.appendDecimal(response.status)
        out.append(" ")
        out.append(bytes: head.span(response.reason))
        out.append("\r\n")
        var hasHSTS = false
        var upgrade: ByteSpan?
        for field in response.headers {
            if field.known == .strictTransportSecurity { hasHSTS = true }
            if field.known == .upgrade { upgrade = field.value }
            if field.isHopByHop { continue }
            UpstreamHead.appendField(field, of: head, to: &out)
        }
        if framing == .chunked { out.append("Transfer-Encoding: chunked\r\n") }
        if response.status == 101 {
            out.append("Connection: upgrade\r\n")
            if let upgrade {
                out.append("Upgrade: ")
                out.append(bytes: head.span(upgrade))
                out.append("\r\n")
            }
        } else if connection.closeAfterResponse {
            out.append("Connection: close\r\n")
        } else if connection.requestMinorVersion == 0 {
            out.append("Connection: keep-alive\r\n")
        }
        if !hasHSTS, connection.endpoint.tls != nil, let hsts = connection.routes.sites[connection.site].hstsLine {
            out.append(contentsOf: hsts)
        }
        out.append("\r\n")
    }
}

/// `X-Client-Cert-Subject`: the verified mTLS client certificate's subject, set only by the proxy (a
/// client's own field of that name is dropped above, so it cannot be injected).
enum ClientCertificateHeader {
    static func append(_ ssl: OpaquePointer, to out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(byteCount: 1024, alignment: 1) { buffer in
            let count = TLSSessionInfo.verifiedClientSubject(ssl, into: buffer)
            guard count > 0 else { return }
            out.append("X-Client-Cert-Subject: ")
            out.append(bytes: UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            out.append("\r\n")
        }
    }
}
