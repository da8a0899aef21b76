import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A raw-socket upstream that answers each request head with scripted bytes, possibly misbehaving
/// (stray bytes after a bodiless response, early answers). One thread per connection; every read is
/// bounded by a receive timeout so no thread outlives the test by long.
public final class ScriptedUpstream: @unchecked Sendable {  // mutable state is behind `Locked`
    /// One piece of an answer: wait `delayMilliseconds`, then send `bytes`.
    public struct Piece: Sendable {
        public var delayMilliseconds: Int
        public var bytes: [UInt8]
        public init(after delayMilliseconds: Int = 0, _ text: String) {
            self.delayMilliseconds = delayMilliseconds
            self.bytes = Array(text.utf8)
        }
    }

    public let port: UInt16
    public var address: String { "127.0.0.1:\(self.port)" }
    private let listenFD: Int32
    private let seen = Locked<[String]>([])
    private let accepted = Locked(0)

    /// `script` maps a request line (`"GET /a HTTP/1.1"`) to the pieces sent back.
    public init(script: @escaping @Sendable (String) -> [Piece]) throws {
        (self.listenFD, self.port) = try LoopbackSocket.listen()
        let fd = self.listenFD
        let seen = self.seen, accepted = self.accepted
        Thread {
            while true {
                let client = LoopbackSocket.acceptCloseOnExec(fd)
                if client < 0 {
                    if errno == EINTR || errno == ECONNABORTED { continue }
                    return
                }
                accepted.withLock { $0 += 1 }
                Thread { Self.serve(client, script: script, seen: seen) }.start()
            }
        }.start()
    }

    /// Request lines received, in order.
    public var requestLines: [String] { self.seen.value }
    /// Connections accepted.
    public var connectionCount: Int { self.accepted.value }

    /// Stops accepting (open connections end when their peer closes or their read times out).
    public func stop() { shutdown(self.listenFD, Int32(SHUT_RDWR)) }

    deinit {
        self.stop()
        close(self.listenFD)
    }

    private static func serve(_ fd: Int32, script: @Sendable (String) -> [Piece], seen: Locked<[String]>) {
        defer { close(fd) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let reader = SocketReader(fd: fd)
        while let requestLine = reader.readLine(), !requestLine.isEmpty {
            var contentLength = 0
            while let line = reader.readLine(), !line.isEmpty {
                let parts = line.split(separator: ":", maxSplits: 1)
                if parts.count == 2, parts[0].lowercased() == "content-length" {
                    contentLength = Int(parts[1].trimmingCharacters(in: .whitespaces)) ?? 0
                }
            }
            if contentLength > 0, reader.read(exactly: contentLength) == nil { return }
            seen.withLock { $0.append(requestLine) }
            for piece in script(requestLine) {
                if piece.delayMilliseconds > 0 { usleep(UInt32(piece.delayMilliseconds * 1000)) }
                guard LoopbackSocket.sendAll(fd, piece.bytes) else { return }
            }
        }
    }
}
