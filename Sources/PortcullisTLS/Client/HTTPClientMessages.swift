/// One request for `HTTPClient`: where to connect, and what to send.
package struct HTTPClientRequest: Sendable {
    /// "GET", "HEAD" or "POST".
    package var method: String
    /// HTTPS (through the client's `TLSClientContext`) or plain HTTP.
    package var tls: Bool
    /// Host name or IP literal (no brackets); also the TLS name checked.
    package var host: String
    package var port: Int
    /// The request target ("/path?query").
    package var target: String
    /// Header fields in order; `Host` is the caller's job.
    package var fields: [(String, String)]
    package var body: [UInt8]

    package init(method: String, tls: Bool, host: String, port: Int, target: String, fields: [(String, String)], body: [UInt8]) {
        (self.method, self.tls, self.host, self.port, self.target) = (method, tls, host, port, target)
        (self.fields, self.body) = (fields, body)
    }
}

/// A whole response as `HTTPClient` read it.
package struct HTTPClientResponse: Sendable {
    package var status: Int
    /// Header fields in arrival order (names as sent).
    package var headers: [(name: String, value: String)]
    package var body: [UInt8]
}

/// No usable response: refused, reset, timed out, TLS verification failed, or a malformed answer.
package struct HTTPClientError: Error, CustomStringConvertible, Sendable {
    /// What went wrong ("timed out", "certificate verify failed: …").
    package let description: String
    package init(_ description: String) { self.description = description }
}
