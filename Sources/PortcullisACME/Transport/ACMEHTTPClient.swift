internal import CLibevent
internal import COpenSSL
internal import CShims
import Foundation
import Glibc
import PortcullisCore

/// libevent's HTTP client over OpenSSL, driven synchronously on the ACME thread's own event base (so
/// it never touches a worker). One connection per request (`Connection: close`): libevent cannot
/// reconnect a TLS bufferevent, and ACME exchanges are few. The server certificate is verified
/// against the system roots plus `caFile`, with host name (or IP) checking.
final class ACMEHTTPClient {
    private let base = EventBase()
    /// The owned `SSL_CTX*`.
    private let context: OpaquePointer
    /// Per-request deadline in seconds.
    let timeout: Int32

    /// A client trusting the system roots plus the PEM certificates in `caFile` ("" for none).
    init(caFile: String, timeout: Int32 = 30) throws {
        guard let context = SSL_CTX_new(TLS_client_method()) else { throw ACMECryptoError.draining("creating the ACME TLS context") }
        self.context = context
        self.timeout = timeout
        SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
        _ = pc_SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION)
        _ = SSL_CTX_set_default_verify_paths(context)
        if !caFile.isEmpty, SSL_CTX_load_verify_locations(context, caFile, nil) != 1 {
            SSL_CTX_free(context)
            throw ACMECryptoError.draining("loading ca_file \(caFile)")
        }
    }

    deinit { SSL_CTX_free(self.context) }

    /// Sends one request and waits for the whole response.
    func send(_ method: HTTPMethod, _ url: String, headers: [(String, String)] = [], body: [UInt8] = []) throws -> HTTPReply {
        guard let parsed = URL(string: url), let scheme = parsed.scheme, let host = parsed.host, !host.isEmpty else {
            throw TransportError(description: "bad URL \(url)")
        }
        let tls = scheme == "https"
        let port = parsed.port ?? (tls ? 443 : 80)
        let authority = (host.contains(":") ? "[\(host)]" : host) + (parsed.port.map { ":\($0)" } ?? "")
        var target = parsed.path.isEmpty ? "/" : parsed.path
        if let query = parsed.query { target += "?" + query }
        let exchange = Exchange(base: self.base.raw)
        guard let connection = try self.connect(host: host, port: port, tls: tls, exchange: exchange) else {
            throw TransportError(description: "connecting to \(url): out of memory")
        }
        defer { evhttp_connection_free(connection) }
        evhttp_connection_set_timeout(connection, self.timeout)
        evhttp_connection_set_max_body_size(connection, 1 << 20)  // ACME objects and chains are a few KiB
        let fields = [("Host", authority), ("User-Agent", "portcullis-acme"), ("Connection", "close")] + headers
        try Self.start(exchange, connection: connection, method: method, target: target, fields: fields, body: body)
        Self.disableNagle(connection)
        _ = event_base_dispatch(self.base.raw)
        if let reply = exchange.reply { return reply }
        throw TransportError(description: "\(method.rawValue) \(url): \(exchange.failure(verifyResult: self.verifyResult(exchange)))")
    }

    /// The connection object; for HTTPS over a fresh `SSL` with SNI and peer name checking.
    private func connect(host: String, port: Int, tls: Bool, exchange: Exchange) throws -> OpaquePointer? {
        guard tls else { return evhttp_connection_base_bufferevent_new(self.base.raw, nil, nil, host, UInt16(port)) }
        guard let ssl = SSL_new(self.context) else { throw ACMECryptoError.draining("creating a TLS session") }
        var address = in6_addr()
        let isIP = inet_pton(AF_INET, host, &address) == 1 || inet_pton(AF_INET6, host, &address) == 1
        if isIP {
            _ = X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host)
        } else {
            _ = pc_SSL_set_tlsext_host_name(ssl, host)
            _ = SSL_set1_host(ssl, host)
        }
        let options = Int32(BEV_OPT_CLOSE_ON_FREE.rawValue | BEV_OPT_DEFER_CALLBACKS.rawValue)
        guard let bev = bufferevent_openssl_socket_new(self.base.raw, -1, ssl, BUFFEREVENT_SSL_CONNECTING, options) else {
            SSL_free(ssl)
            throw TransportError(description: "creating a TLS bufferevent failed")
        }
        // Servers may close without close_notify after a complete response.
        bufferevent_openssl_set_allow_dirty_shutdown(bev, 1)
        exchange.ssl = ssl
        return evhttp_connection_base_bufferevent_new(self.base.raw, nil, bev, host, UInt16(port))
    }

    /// Builds the request and hands it to libevent (which owns it from here).
    private static func start(
        _ exchange: Exchange, connection: OpaquePointer, method: HTTPMethod, target: String,
        fields: [(String, String)], body: [UInt8]
    ) throws {
        let context = Unmanaged.passUnretained(exchange).toOpaque()
        guard let request = evhttp_request_new(onResponse, context) else { throw TransportError(description: "out of memory") }
        evhttp_request_set_error_cb(request, onRequestError)
        let output = evhttp_request_get_output_headers(request)
        for (name, value) in fields { evhttp_add_header(output, name, value) }
        if !body.isEmpty { _ = evbuffer_add(evhttp_request_get_output_buffer(request), body, body.count) }
        let kind: evhttp_cmd_type = method == .get ? EVHTTP_REQ_GET : method == .head ? EVHTTP_REQ_HEAD : EVHTTP_REQ_POST
        guard evhttp_make_request(connection, request, kind, target) == 0 else {
            throw TransportError(description: "starting \(method.rawValue) \(target) failed")
        }
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

    /// OpenSSL's verdict on the peer certificate, if the failure was a TLS one.
    private func verifyResult(_ exchange: Exchange) -> String? {
        guard let ssl = exchange.ssl else { return nil }
        let result = SSL_get_verify_result(ssl)
        guard result != X509_V_OK else { return nil }
        return "certificate verify failed: " + String(cString: X509_verify_cert_error_string(result))
    }
}

/// One request's outcome, filled in by libevent's callbacks on the ACME thread.
private final class Exchange {
    let base: OpaquePointer
    var ssl: OpaquePointer?
    var reply: HTTPReply?
    var error: evhttp_request_error?

    init(base: OpaquePointer) { self.base = base }

    /// Copies status, headers and body out of the finished request.
    func complete(_ request: OpaquePointer?) {
        defer { event_base_loopbreak(self.base) }
        guard let request, case let status = evhttp_request_get_response_code(request), status > 0 else { return }
        var headers: [(name: String, value: String)] = []
        var field = evhttp_request_get_input_headers(request)?.pointee.tqh_first
        while let entry = field {
            headers.append((String(cString: entry.pointee.key), String(cString: entry.pointee.value)))
            field = entry.pointee.next.tqe_next
        }
        var body: [UInt8] = []
        if let input = evhttp_request_get_input_buffer(request) {
            body = [UInt8](repeating: 0, count: evbuffer_get_length(input))
            _ = evbuffer_remove(input, &body, body.count)
        }
        self.reply = HTTPReply(status: Int(status), headers: headers, body: body)
    }

    /// Why no reply came.
    func failure(verifyResult: String?) -> String {
        if let verifyResult { return verifyResult }
        switch self.error {
        case EVREQ_HTTP_TIMEOUT: return "timed out"
        case EVREQ_HTTP_EOF: return "connection closed before a response"
        case EVREQ_HTTP_INVALID_HEADER: return "invalid response header"
        case EVREQ_HTTP_BUFFER_ERROR: return "connection failed (refused, reset or TLS error)"
        default: return "connection failed"
        }
    }
}

private let onResponse: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?) -> Void = { request, context in
    Unmanaged<Exchange>.fromOpaque(context!).takeUnretainedValue().complete(request)
}

private let onRequestError: @convention(c) (evhttp_request_error, UnsafeMutableRawPointer?) -> Void = { error, context in
    Unmanaged<Exchange>.fromOpaque(context!).takeUnretainedValue().error = error
}
