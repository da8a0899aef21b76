import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A raw TCP connection to 127.0.0.1 (plain HTTP listeners, raw upstream scenarios): bytes sent as
/// they are, bytes received collected without blocking, every wait bounded.
public final class PlainConnection: @unchecked Sendable {  // used from one test task at a time
    public let fd: Int32
    public private(set) var received: [UInt8] = []
    private var consumed = 0
    public private(set) var sawEOF = false

    /// Connects; throws when refused.
    public init(port: UInt16, file: StaticString = #filePath, line: UInt = #line) throws {
        guard let fd = LoopbackSocket.connect(port: port) else {
            throw HarnessError("connect to 127.0.0.1:\(port) refused", file: file, line: line)
        }
        self.fd = fd
    }

    deinit { Glibc.close(self.fd) }

    /// Sends every byte; false when the peer is gone.
    @discardableResult
    public func send(_ text: String) -> Bool { LoopbackSocket.sendAll(self.fd, Array(text.utf8)) }

    /// Reads whatever is available now, without blocking; records EOF.
    public func poll() {
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(self.fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if n > 0 {
                self.received.append(contentsOf: chunk[0..<n])
                continue
            }
            if n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) { self.sawEOF = true }
            return
        }
    }

    /// True when nothing unread has arrived yet (checked without waiting).
    public var nothingUnread: Bool {
        self.poll()
        return self.received.count == self.consumed
    }

    /// The next complete response after those already read.
    public func readResponse(within seconds: Double = 10, file: StaticString = #filePath, line: UInt = #line) async throws -> HTTPResponse {
        try await eventuallyValue(within: seconds, "HTTP response on a plain connection", file: file, line: line) {
            self.poll()
            if let (response, used) = HTTPResponse.parse(Array(self.received[self.consumed...]), atEOF: self.sawEOF) {
                self.consumed += used
                return response
            }
            if self.sawEOF {
                throw HarnessError("connection closed without a complete response: "
                    + String(decoding: self.received[self.consumed...].prefix(300), as: UTF8.self))
            }
            return nil
        }
    }

    /// Waits until the peer closes the connection.
    public func waitForClose(within seconds: Double = 10, file: StaticString = #filePath, line: UInt = #line) async throws {
        try await eventually(within: seconds, "peer to close the connection", file: file, line: line) {
            self.poll()
            return self.sawEOF
        }
    }
}
