internal import CLibevent

/// One request's outcome, filled in by libevent's callbacks on the client's thread. `HTTPClient.send`
/// keeps it alive across the dispatch, so the callbacks' unretained reference stays valid.
final class HTTPClientExchange {
    let base: OpaquePointer
    /// The connection's `SSL*` (owned by its bufferevent), for the verify result after a failure.
    var ssl: OpaquePointer?
    var response: HTTPClientResponse?
    var error: evhttp_request_error?

    init(base: OpaquePointer) { self.base = base }

    /// Builds the request and hands it to libevent (which owns it from here).
    func start(connection: OpaquePointer, _ request: HTTPClientRequest) throws(HTTPClientError) {
        let context = Unmanaged.passUnretained(self).toOpaque()
        guard let made = evhttp_request_new(onClientResponse, context) else { throw HTTPClientError("out of memory") }
        evhttp_request_set_error_cb(made, onClientRequestError)
        let output = evhttp_request_get_output_headers(made)
        for (name, value) in request.fields { evhttp_add_header(output, name, value) }
        if !request.body.isEmpty { _ = evbuffer_add(evhttp_request_get_output_buffer(made), request.body, request.body.count) }
        let kind: evhttp_cmd_type
        switch request.method {
        case "GET": kind = EVHTTP_REQ_GET
        case "HEAD": kind = EVHTTP_REQ_HEAD
        case "POST": kind = EVHTTP_REQ_POST
        default:
            evhttp_request_free(made)
            throw HTTPClientError("unsupported method \(request.method)")
        }
        guard evhttp_make_request(connection, made, kind, request.target) == 0 else {
            throw HTTPClientError("starting \(request.method) \(request.target) failed")
        }
    }

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
        self.response = HTTPClientResponse(status: Int(status), headers: headers, body: body)
    }

    /// Why no response came.
    func failure() -> String {
        switch self.error {
        case EVREQ_HTTP_TIMEOUT: return "timed out"
        case EVREQ_HTTP_EOF: return "connection closed before a response"
        case EVREQ_HTTP_INVALID_HEADER: return "invalid response header"
        case EVREQ_HTTP_BUFFER_ERROR: return "connection failed (refused, reset or TLS error)"
        default: return "connection failed"
        }
    }
}

private let onClientResponse: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?) -> Void = { request, context in
    Unmanaged<HTTPClientExchange>.fromOpaque(context!).takeUnretainedValue().complete(request)
}

private let onClientRequestError: @convention(c) (evhttp_request_error, UnsafeMutableRawPointer?) -> Void = { error, context in
    Unmanaged<HTTPClientExchange>.fromOpaque(context!).takeUnretainedValue().error = error
}
