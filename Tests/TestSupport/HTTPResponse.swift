import Foundation

/// A header field as seen on the wire (name case preserved).
public struct HTTPField: Sendable, Equatable, CustomStringConvertible {
    public let name: String
    public let value: String
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
    public var description: String { "\(self.name): \(self.value)" }
}

extension Array where Element == HTTPField {
    /// First value of the header `name` (case-insensitive).
    public func first(_ name: String) -> String? { self.first { $0.name.lowercased() == name.lowercased() }?.value }
    /// All values of the header `name` (case-insensitive), in order.
    public func all(_ name: String) -> [String] { self.filter { $0.name.lowercased() == name.lowercased() }.map(\.value) }
}

/// An HTTP/1.1 response parsed from raw bytes (for raw TLS exchanges and the WebSocket handshake).
public struct HTTPResponse: Sendable {
    public var status: Int
    public var reason: String
    public var headers: [HTTPField]
    public var body: [UInt8]
    /// True when the body was delimited by Transfer-Encoding: chunked.
    public var wasChunked: Bool

    public var bodyText: String { String(decoding: self.body, as: UTF8.self) }
    public func header(_ name: String) -> String? { self.headers.first(name) }

    /// Parses one complete response at the start of `bytes`; returns it and the bytes it used, or nil
    /// when more input is needed. `atEOF` allows a close-delimited body. 1xx other than 101 are skipped.
    public static func parse(_ bytes: [UInt8], atEOF: Bool = false) -> (HTTPResponse, Int)? {
        var start = 0
        while true {
            guard let headEnd = findHeadEnd(bytes, from: start) else { return nil }
            let head = String(decoding: bytes[start..<headEnd], as: UTF8.self)
            var lines = head.components(separatedBy: "\r\n")
            let statusLine = lines.removeFirst().split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
            guard statusLine.count >= 2, let status = Int(statusLine[1]) else { return nil }
            let reason = statusLine.count > 2 ? String(statusLine[2]) : ""
            let headers = lines.filter { !$0.isEmpty }.map { line -> HTTPField in
                let parts = line.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
                return HTTPField(String(parts[0]), parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : "")
            }
            let bodyStart = headEnd + 4
            if (100..<200).contains(status) && status != 101 {
                start = bodyStart
                continue
            }
            var response = HTTPResponse(status: status, reason: reason, headers: headers, body: [], wasChunked: false)
            if status == 101 || status == 204 || status == 304 { return (response, bodyStart) }
            if headers.first("transfer-encoding")?.lowercased().contains("chunked") == true {
                guard let (body, end) = decodeChunked(bytes, from: bodyStart) else { return nil }
                response.body = body
                response.wasChunked = true
                return (response, end)
            }
            if let lengthText = headers.first("content-length"), let length = Int(lengthText) {
                guard bytes.count - bodyStart >= length else { return nil }
                response.body = Array(bytes[bodyStart..<bodyStart + length])
                return (response, bodyStart + length)
            }
            guard atEOF else { return nil }
            response.body = Array(bytes[bodyStart...])
            return (response, bytes.count)
        }
    }

    static func findHeadEnd(_ bytes: [UInt8], from start: Int) -> Int? {
        guard bytes.count >= start + 4 else { return nil }
        var i = start
        while i + 3 < bytes.count {
            if bytes[i] == 13 && bytes[i + 1] == 10 && bytes[i + 2] == 13 && bytes[i + 3] == 10 { return i }
            i += 1
        }
        return nil
    }

    /// Decodes a chunked body starting at `from`; returns the body and the index after the trailers.
    static func decodeChunked(_ bytes: [UInt8], from: Int) -> ([UInt8], Int)? {
        var body: [UInt8] = []
        var i = from
        func line() -> String? {
            var j = i
            while j + 1 < bytes.count {
                if bytes[j] == 13 && bytes[j + 1] == 10 {
                    let text = String(decoding: bytes[i..<j], as: UTF8.self)
                    i = j + 2
                    return text
                }
                j += 1
            }
            return nil
        }
        while true {
            guard let sizeLine = line() else { return nil }
            let sizeText = sizeLine.split(separator: ";").first.map(String.init) ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else { return nil }
            if size == 0 {
                while true {
                    guard let trailer = line() else { return nil }
                    if trailer.isEmpty { return (body, i) }
                }
            }
            guard bytes.count >= i + size + 2 else { return nil }
            body.append(contentsOf: bytes[i..<i + size])
            i += size + 2
        }
    }
}
