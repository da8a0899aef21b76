internal import CLibevent
import Glibc

/// A small HTTP/1.1 server on libevent's `evhttp`, for the control plane (admin API, metrics). It runs
/// on the event base it is given (the control base, never a worker's) and hands each complete request
/// to `handler` as plain Swift values. Not for the data path: evhttp buffers whole bodies.
public final class HTTPServer {
    /// Answers one request; runs on the base's thread.
    public typealias Handler = (HTTPServerRequest) -> HTTPServerResponse

    private let http: OpaquePointer
    private let handler: Handler
    /// Makes the `SSL` for each new connection when the server speaks TLS (see `enableTLS`).
    private var makeSSL: (() -> OpaquePointer?)?
    /// The bound port (the real one when asked for port 0).
    public private(set) var port = 0
    /// The connection cap (see `HTTPServerConnections`).
    private let connections: HTTPServerConnections
    /// Releases the bufferevents of closed connections once a second.
    private var sweeper: Timer?

    /// A server on `base` with `limits`; call `bind` to start listening.
    public init(base: EventBase, limits: HTTPServerLimits = HTTPServerLimits(), handler: @escaping Handler) {
        guard let http = evhttp_new(base.raw) else { fatalError("evhttp_new failed: out of memory") }
        self.http = http
        self.handler = handler
        let connections = HTTPServerConnections(limit: limits.maxConnections)
        self.connections = connections
        self.sweeper = Timer(base: base, interval: 1, repeats: true) { connections.sweep() }
        evhttp_set_max_body_size(http, Int(limits.maxBodyBytes))
        evhttp_set_max_headers_size(http, Int(limits.maxHeaderBytes))
        evhttp_set_timeout(http, Int32(limits.timeout.rounded(.up)))
        let methods = EVHTTP_REQ_GET.rawValue | EVHTTP_REQ_POST.rawValue | EVHTTP_REQ_PUT.rawValue
            | EVHTTP_REQ_DELETE.rawValue | EVHTTP_REQ_HEAD.rawValue | EVHTTP_REQ_OPTIONS.rawValue
            | EVHTTP_REQ_PATCH.rawValue | EVHTTP_REQ_TRACE.rawValue | EVHTTP_REQ_CONNECT.rawValue
        evhttp_set_allowed_methods(http, UInt16(methods))
        evhttp_set_gencb(http, onHTTPRequest, Unmanaged.passUnretained(self).toOpaque())
        evhttp_set_bevcb(http, onHTTPConnection, Unmanaged.passUnretained(self).toOpaque())
    }

    deinit {
        self.sweeper = nil
        evhttp_free(self.http)  // frees every connection
        self.connections.releaseAll()
    }

    /// Open connections now (at most `HTTPServerLimits.maxConnections`).
    public var openConnections: Int { self.connections.count }

    /// Connections shut down so far to stay under the cap.
    public var evictedConnections: Int { self.connections.evictions }

    /// Listens on `host:port` (an IP literal; port 0 picks a free one, then `port` tells which).
    public func bind(host: String, port: Int) throws(HTTPServerBindError) {
        errno = 0
        guard let handle = evhttp_bind_socket_with_handle(self.http, host, UInt16(port)) else {
            throw HTTPServerBindError(host: host, port: port, errno: errno)
        }
        self.port = Self.localPort(evhttp_bound_socket_get_fd(handle))
    }

    /// Serves TLS: `makeSSL` returns a new server `SSL` per connection, owned by the bufferevent.
    package func enableTLS(makeSSL: @escaping () -> OpaquePointer?) {
        self.makeSSL = makeSSL
    }

    /// The bufferevent for a new connection, counted against the cap. TLS owns its socket and `SSL`
    /// (freed when the last reference goes); a plain one leaves the socket to evhttp, which closes it
    /// as it frees the connection (its default).
    fileprivate func newBufferEvent(base: OpaquePointer) -> OpaquePointer? {
        let bev: OpaquePointer?
        if let makeSSL = self.makeSSL {
            guard let ssl = makeSSL() else { return nil }
            let options = Int32(BEV_OPT_CLOSE_ON_FREE.rawValue)
            bev = bufferevent_openssl_socket_new(base, -1, ssl, BUFFEREVENT_SSL_ACCEPTING, options)
        } else {
            bev = bufferevent_socket_new(base, -1, 0)
        }
        if let bev { self.connections.admit(bev) }
        return bev
    }

    /// Copies the request out, calls the handler and sends its response.
    fileprivate func onRequest(_ request: OpaquePointer) {
        let message = HTTPServerMessages.request(request, isTLS: self.makeSSL != nil)
        var response = self.handler(message)
        // evhttp 2.1 reads a body only for POST, PUT and PATCH; close after any other request that
        // sent one, so its bytes are never parsed as the next request.
        let sentBody = (message.header("content-length").map { $0 != "0" } ?? false) || message.header("transfer-encoding") != nil
        if sentBody && !["POST", "PUT", "PATCH"].contains(message.method) {
            response.headers.append(("Connection", "close"))
        }
        HTTPServerMessages.send(response, to: request)
    }

    private static func localPort(_ fd: Int32) -> Int {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { SocketAddress(copying: $0, length: length).port }
        }
    }
}

/// The server's address could not be bound (in use, not local, no permission).
public struct HTTPServerBindError: Error, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var errno: Int32
    public var description: String {
        let reason = self.errno == 0 ? "the address is not usable" : String(cString: strerror(self.errno))
        let address = self.host.contains(":") ? "[\(self.host)]:\(self.port)" : "\(self.host):\(self.port)"
        return "listening on \(address): \(reason)"
    }
}

private let onHTTPRequest: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?) -> Void = { request, arg in
    guard let request, let arg else { return }
    Unmanaged<HTTPServer>.fromOpaque(arg).takeUnretainedValue().onRequest(request)
}

private let onHTTPConnection: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?) -> OpaquePointer? = {
    base, arg in
    guard let base, let arg else { return nil }
    return Unmanaged<HTTPServer>.fromOpaque(arg).takeUnretainedValue().newBufferEvent(base: base)
}
