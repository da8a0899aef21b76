/// An HTTP response as the ACME client sees it.
public struct HTTPReply: Sendable {
    /// Status code.
    public var status: Int
    /// Header fields in arrival order (names as sent).
    public var headers: [(name: String, value: String)]
    /// The whole body.
    public var body: [UInt8]

    /// A response from explicit values (tests).
    public init(status: Int, headers: [(name: String, value: String)], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first field called `name` (case-insensitive).
    public func header(_ name: String) -> String? { self.headers(named: name).first }

    /// Every field called `name` (case-insensitive), e.g. several `Link` fields.
    public func headers(named name: String) -> [String] {
        let lower = name.lowercased()
        return self.headers.filter { $0.name.lowercased() == lower }.map(\.value)
    }

    /// The body as UTF-8 text.
    public var text: String { String(decoding: self.body, as: UTF8.self) }
}

/// Request methods the ACME client uses.
public enum HTTPMethod: String, Sendable {
    case get = "GET", head = "HEAD", post = "POST"
}

/// A connection, TLS or timeout failure: nothing usable came back.
public struct TransportError: Error, CustomStringConvertible, Sendable {
    /// The user's sentence ("connecting to https://…: connection refused").
    public let description: String
}
