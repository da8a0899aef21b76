import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One request as the upstream saw it. `connectionID` numbers the upstream's accepted connections, so
/// keep-alive reuse by the proxy shows up as the same id on several requests.
public struct RecordedRequest: Sendable {
    public let method: String
    public let target: String
    public let version: String
    public let headers: [HTTPField]
    public let connectionID: Int
    /// Body bytes read; -1 until the body has been read completely.
    public internal(set) var bodyLength: Int

    public var path: String { String(self.target.split(separator: "?", maxSplits: 1).first ?? "") }
    public func header(_ name: String) -> String? { self.headers.first(name) }
}

/// An HTTP/1.1 origin server on 127.0.0.1 port 0, thread per connection, for the proxy to forward to.
/// Endpoints (see `TestUpstreamHandlers.swift`): /echo, /headers, /name, /bytes?n=, /chunked?n=&size=,
/// /slow?ms=&n=, /stall, /upload, /hop, /sts, /close?n=, /ws.
public final class TestUpstream: @unchecked Sendable {
    public let name: String
    public let port: UInt16
    public var address: String { "127.0.0.1:\(self.port)" }

    struct State {
        var requests: [RecordedRequest] = []
        var connections = 0
        var openFDs: Set<Int32> = []
        var stopped = false
        var healthStatus = 200
    }
    let state = Locked(State())
    private let listenFD: Int32

    public init(name: String = "upstream") throws {
        self.name = name
        (self.listenFD, self.port) = try LoopbackSocket.listen()
        let fd = self.listenFD
        Thread { [weak self] in
            while true {
                let client = LoopbackSocket.acceptCloseOnExec(fd)
                if client < 0 {
                    if errno == EINTR || errno == ECONNABORTED { continue }
                    return
                }
                guard let self else {
                    close(client)
                    return
                }
                let id: Int? = self.state.withLock { state in
                    guard !state.stopped else { return nil }
                    state.connections += 1
                    state.openFDs.insert(client)
                    return state.connections
                }
                guard let id else {
                    close(client)
                    return
                }
                Thread { UpstreamConnection(upstream: self, fd: client, id: id).serve() }.start()
            }
        }.start()
    }

    /// The status `/healthz` answers (health-check tests flip it).
    public var healthStatus: Int {
        get { self.state.value.healthStatus }
        set { self.state.withLock { $0.healthStatus = newValue } }
    }

    /// Requests seen so far, in arrival order (recorded when the head is read).
    public var requests: [RecordedRequest] { self.state.value.requests }
    /// Connections accepted so far.
    public var connectionCount: Int { self.state.value.connections }

    /// Waits until at least `count` requests have arrived.
    @discardableResult
    public func waitForRequests(
        _ count: Int, within seconds: Double = 10, file: StaticString = #filePath, line: UInt = #line
    ) async throws -> [RecordedRequest] {
        try await eventuallyValue(within: seconds, "\(count) request(s) at upstream \(self.name)", file: file, line: line) {
            let seen = self.requests
            return seen.count >= count ? seen : nil
        }
    }

    /// Closes the listener and every open connection (wakes /stall and /slow).
    public func stop() {
        let fds: Set<Int32>? = self.state.withLock { state in
            guard !state.stopped else { return nil }
            state.stopped = true
            return state.openFDs
        }
        guard let fds else { return }
        shutdown(self.listenFD, Int32(SHUT_RDWR))
        close(self.listenFD)
        for fd in fds { shutdown(fd, Int32(SHUT_RDWR)) }
    }

    deinit { self.stop() }

    func record(_ request: RecordedRequest) -> Int {
        self.state.withLock { state in
            state.requests.append(request)
            return state.requests.count - 1
        }
    }

    func setBodyLength(_ length: Int, at index: Int) {
        self.state.withLock { $0.requests[index].bodyLength = length }
    }

    func closed(_ fd: Int32) {
        self.state.withLock { _ = $0.openFDs.remove(fd) }
        close(fd)
    }
}

/// Request body framing at the upstream: none, Content-Length, or chunked.
final class RequestBody {
    private let reader: SocketReader
    private var remaining: Int
    private let chunked: Bool
    private var finished = false
    private var sawChunk = false
    private(set) var malformed = false
    private(set) var received = 0

    init(reader: SocketReader, headers: [HTTPField]) {
        self.reader = reader
        self.chunked = headers.first("transfer-encoding")?.lowercased().contains("chunked") == true
        self.remaining = self.chunked ? 0 : Int(headers.first("content-length") ?? "0") ?? 0
        self.finished = !self.chunked && self.remaining == 0
    }

    /// Next piece of body, or nil at the end (or on a framing error: see `malformed`).
    func next() -> ArraySlice<UInt8>? {
        if self.finished { return nil }
        if self.chunked && self.remaining == 0 {
            if self.sawChunk { _ = self.reader.readLine() }  // CRLF after previous chunk data
            guard let line = self.reader.readLine(),
                let size = Int(line.split(separator: ";").first.map(String.init) ?? "", radix: 16)
            else { return self.fail() }
            self.sawChunk = true
            if size == 0 {
                while let trailer = self.reader.readLine(), !trailer.isEmpty {}
                self.finished = true
                return nil
            }
            self.remaining = size
        }
        let piece = self.reader.read(max: self.remaining)
        if piece.isEmpty { return self.fail() }
        self.remaining -= piece.count
        self.received += piece.count
        if !self.chunked && self.remaining == 0 { self.finished = true }
        return piece
    }

    private func fail() -> ArraySlice<UInt8>? {
        self.malformed = true
        self.finished = true
        return nil
    }

    func readAll() -> [UInt8] {
        var all: [UInt8] = []
        while let piece = self.next() { all.append(contentsOf: piece) }
        return all
    }
}
