internal import CLibevent

/// Conversions between evhttp's request object and `HTTPServerRequest` / `HTTPServerResponse`.
enum HTTPServerMessages {
    /// Method, target, headers and body of `request`, copied.
    static func request(_ request: OpaquePointer, isTLS: Bool) -> HTTPServerRequest {
        let uri = evhttp_request_get_uri(request).map { String(cString: $0) } ?? "/"
        var headers: [(name: String, value: String)] = []
        if let fields = evhttp_request_get_input_headers(request) {
            var field = fields.pointee.tqh_first
            while let current = field {
                headers.append((String(cString: current.pointee.key), String(cString: current.pointee.value)))
                field = current.pointee.next.tqe_next
            }
        }
        var body: [UInt8] = []
        if let input = evhttp_request_get_input_buffer(request) {
            let length = evbuffer_get_length(input)
            body = [UInt8](repeating: 0, count: length)
            if length > 0 { _ = body.withUnsafeMutableBytes { evbuffer_copyout(input, $0.baseAddress, length) } }
        }
        return HTTPServerRequest(
            method: self.method(evhttp_request_get_command(request)), uri: uri, headers: headers, body: body, isTLS: isTLS)
    }

    /// Sends `response` as the answer to `request`.
    static func send(_ response: HTTPServerResponse, to request: OpaquePointer) {
        if let output = evhttp_request_get_output_headers(request) {
            for (name, value) in response.headers { evhttp_add_header(output, name, value) }
        }
        guard let buffer = evbuffer_new() else {
            evhttp_send_error(request, 500, nil)
            return
        }
        defer { evbuffer_free(buffer) }
        response.body.withUnsafeBytes { _ = evbuffer_add(buffer, $0.baseAddress, $0.count) }
        evhttp_send_reply(request, Int32(response.status), HTTPReasonPhrase.phrase(response.status), buffer)
    }

    /// The method name of an evhttp command.
    private static func method(_ command: evhttp_cmd_type) -> String {
        switch command {
        case EVHTTP_REQ_GET: return "GET"
        case EVHTTP_REQ_POST: return "POST"
        case EVHTTP_REQ_HEAD: return "HEAD"
        case EVHTTP_REQ_PUT: return "PUT"
        case EVHTTP_REQ_DELETE: return "DELETE"
        case EVHTTP_REQ_OPTIONS: return "OPTIONS"
        case EVHTTP_REQ_PATCH: return "PATCH"
        case EVHTTP_REQ_TRACE: return "TRACE"
        case EVHTTP_REQ_CONNECT: return "CONNECT"
        default: return "OTHER"
        }
    }
}

/// Reason phrases for the status codes the control plane sends.
public enum HTTPReasonPhrase {
    /// `OK`, `Not Found`, …; `Status` for codes without a listed phrase.
    public static func phrase(_ status: Int) -> String {
        switch status {
        case 200: return "OK"
        case 201: return "Created"
        case 202: return "Accepted"
        case 204: return "No Content"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 409: return "Conflict"
        case 413: return "Content Too Large"
        case 415: return "Unsupported Media Type"
        case 422: return "Unprocessable Content"
        case 429: return "Too Many Requests"
        case 500: return "Internal Server Error"
        case 503: return "Service Unavailable"
        default: return "Status"
        }
    }
}
