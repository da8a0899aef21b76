internal import CLibevent
internal import COpenSSL
import Glibc
import PortcullisCore

/// libevent's HTTP client over OpenSSL, driven synchronously on the calling thread's own event base
/// (for the control plane's ACME thread: it never touches a worker). One connection per request
/// (`Connection: close`): libevent cannot reconnect a TLS bufferevent, and control-plane exchanges are few.
package final class HTTPClient {
    private let base = EventBase()
    private let tls: TLSClientContext
    /// Per-request deadline in seconds.
    package let timeout: Int32
    /// The largest response body accepted.
    package let maxBodySize: Int

    /// A client verifying HTTPS peers with `tls`.
    package init(tls: TLSClientContext, timeout: Int32 = 30, maxBodySize: Int = 1 << 20) {
        self.tls = tls
        self.timeout = timeout
        self.maxBodySize = maxBodySize
    }

    /// Sends one request and waits (at most `timeout`) for the whole response.
    package func send(_ request: HTTPClientRequest) throws(HTTPClientError) -> HTTPClientResponse {
        let exchange = HTTPClientExchange(base: self.base.raw)
        let connection = try self.connect(request, exchange: exchange)
        defer { evhttp_connection_free(connection) }  // frees the bufferevent and with it the SSL
        evhttp_connection_set_timeout(connection, self.timeout)
        evhttp_connection_set_max_body_size(connection, self.maxBodySize)
        try exchange.start(connection: connection, request)
        Self.disableNagle(connection)
        _ = event_base_dispatch(self.base.raw)
        if let response = exchange.response { return response }
        let verify = exchange.ssl.flatMap(TLSClientContext.verifyFailure)
        throw HTTPClientError(verify ?? exchange.failure())
    }

    /// The connection object; for HTTPS over a fresh `SSL` with SNI and peer name checking.
    private func connect(_ request: HTTPClientRequest, exchange: HTTPClientExchange) throws(HTTPClientError) -> OpaquePointer {
        let port = UInt16(clamping: request.port)
        var bev: OpaquePointer? = nil
        if request.tls {
            let ssl: OpaquePointer
            do { ssl = try self.tls.makeSSL(host: request.host) } catch { throw HTTPClientError(error.description) }
            let options = Int32(BEV_OPT_CLOSE_ON_FREE.rawValue | BEV_OPT_DEFER_CALLBACKS.rawValue)
            bev = bufferevent_openssl_socket_new(self.base.raw, -1, ssl, BUFFEREVENT_SSL_CONNECTING, options)
            guard bev != nil else {
                SSL_free(ssl)
                throw HTTPClientError("creating a TLS bufferevent failed")
            }
            // Servers may close without close_notify after a complete response.
            bufferevent_openssl_set_allow_dirty_shutdown(bev, 1)
            exchange.ssl = ssl
        }
        guard let connection = evhttp_connection_base_bufferevent_new(self.base.raw, nil, bev, request.host, port) else {
            if let bev { bufferevent_free(bev) }
            throw HTTPClientError("creating a connection to \(request.host) failed")
        }
        return connection
    }

    /// Sets TCP_NODELAY once libevent has created the socket (the connect is under way by now):
    /// otherwise the request, written right behind the TLS Finished, waits ~40 ms for a delayed ACK.
    private static func disableNagle(_ connection: OpaquePointer) {
        guard let bev = evhttp_connection_get_bufferevent(connection) else { return }
        let fd = bufferevent_getfd(bev)
        guard fd >= 0 else { return }
        var on: Int32 = 1
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
    }
}
