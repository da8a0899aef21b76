/// One request received by `HTTPServer`, copied out of libevent: plain Swift values only.
public struct HTTPServerRequest: Sendable {
    /// `GET`, `PUT`, … (upper case).
    public var method: String
    /// The request target as sent: path and optional `?query`.
    public var uri: String
    /// Header fields in arrival order; names as sent.
    public var headers: [(name: String, value: String)]
    /// The whole body (bounded by the server's body limit).
    public var body: [UInt8]
    /// Whether the connection is TLS.
    public var isTLS: Bool

    /// A request from its parts (tests and adapters).
    public init(method: String, uri: String, headers: [(name: String, value: String)], body: [UInt8], isTLS: Bool) {
        self.method = method
        self.uri = uri
        self.headers = headers
        self.body = body
        self.isTLS = isTLS
    }

    /// The first value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return self.headers.first { $0.name.lowercased() == wanted }?.value
    }
}

/// The answer to an `HTTPServerRequest`; `Content-Length` and `Date` are added by libevent.
public struct HTTPServerResponse: Sendable {
    /// Status code.
    public var status: Int
    /// Header fields to send.
    public var headers: [(name: String, value: String)]
    /// The body.
    public var body: [UInt8]

    /// A response from its parts.
    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return self.headers.first { $0.name.lowercased() == wanted }?.value
    }
}

/// Limits of one `HTTPServer`; every resource a client can make it hold is bounded by these.
public struct HTTPServerLimits: Sendable {
    /// Largest request body; a larger one gets 413 from libevent before it is read.
    public var maxBodyBytes = 16 * 1024 * 1024
    /// Largest request head (request line and headers).
    public var maxHeaderBytes = 64 * 1024
    /// A connection idle (or stalled mid-request) this long is closed.
    public var timeout: Double = 30
    /// Most connections open at once; at the cap the oldest is closed to admit a new one.
    public var maxConnections = 256

    /// The defaults.
    public init() {}
}
