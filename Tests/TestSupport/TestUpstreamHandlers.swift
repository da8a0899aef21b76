import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One accepted upstream connection: reads requests in a keep-alive loop and answers by path.
struct UpstreamConnection {
    let upstream: TestUpstream
    let fd: Int32
    let id: Int

    func serve() {
        let reader = SocketReader(fd: self.fd)
        defer { self.upstream.closed(self.fd) }
        while true {
            guard let requestLine = reader.readLine(), !requestLine.isEmpty else { return }
            let parts = requestLine.split(separator: " ")
            guard parts.count == 3 else { return }
            var headers: [HTTPField] = []
            while let line = reader.readLine(), !line.isEmpty {
                let kv = line.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
                headers.append(HTTPField(String(kv[0]), kv.count > 1 ? kv[1].trimmingCharacters(in: .whitespaces) : ""))
            }
            let request = RecordedRequest(
                method: String(parts[0]), target: String(parts[1]), version: String(parts[2]),
                headers: headers, connectionID: self.id, bodyLength: -1)
            let index = self.upstream.record(request)
            let body = RequestBody(reader: reader, headers: headers)
            let keepAlive = self.handle(request, body: body, reader: reader)
            while body.next() != nil {}
            self.upstream.setBodyLength(body.received, at: index)
            let wantsClose = request.header("connection")?.lowercased().contains("close") == true
            if !keepAlive || wantsClose || body.malformed || request.version == "HTTP/1.0" { return }
        }
    }

    /// Answers one request; returns false when the connection must end afterwards.
    private func handle(_ request: RecordedRequest, body: RequestBody, reader: SocketReader) -> Bool {
        let query = Self.query(request.target)
        switch request.path {
        case "/echo":
            let data = body.readAll()
            return self.respond(
                200, body: data,
                headers: [
                    HTTPField("Content-Type", "application/octet-stream"),
                    HTTPField("X-Echo-Method", request.method),
                    HTTPField("X-Echo-Framing", request.header("transfer-encoding") ?? "content-length"),
                ])
        case "/headers":
            _ = body.readAll()
            let text = request.headers.map { "\($0.name): \($0.value)\n" }.joined()
            return self.respond(200, body: Array(text.utf8))
        case "/healthz":
            _ = body.readAll()
            return self.respond(self.upstream.healthStatus, body: Array("health\n".utf8))
        case "/name":
            _ = body.readAll()
            return self.respond(200, body: Array(self.upstream.name.utf8))
        case "/hop":
            _ = body.readAll()
            return self.respond(
                200, body: Array("hop".utf8),
                headers: [
                    HTTPField("Connection", "X-Resp-Hop"), HTTPField("X-Resp-Hop", "secret"),
                    HTTPField("Keep-Alive", "timeout=5"), HTTPField("X-Kept", "yes"),
                ])
        case "/sts":
            _ = body.readAll()
            return self.respond(200, body: Array("own sts".utf8), headers: [HTTPField("Strict-Transport-Security", "max-age=5")])
        case "/close":
            // No Content-Length, no chunking: the body ends when the connection closes.
            _ = body.readAll()
            let count = query["n"].flatMap { Int($0) } ?? 10000
            guard self.sendHead(200, headers: [HTTPField("Connection", "close")]) else { return false }
            Pattern.generate(count: count) { LoopbackSocket.sendAll(self.fd, $0) }
            return false
        case "/bytes":
            _ = body.readAll()
            let count = query["n"].flatMap { Int($0) } ?? 1024
            guard self.sendHead(200, headers: [HTTPField("Content-Length", "\(count)")]) else { return false }
            var ok = true
            Pattern.generate(count: count) { piece in
                ok = LoopbackSocket.sendAll(self.fd, piece)
                return ok
            }
            return ok
        case "/chunked":
            _ = body.readAll()
            let count = query["n"].flatMap { Int($0) } ?? 10000
            let size = max(1, query["size"].flatMap { Int($0) } ?? 1000)
            guard self.sendHead(200, headers: [HTTPField("Transfer-Encoding", "chunked")]) else { return false }
            var ok = true
            Pattern.generate(count: count, pieceSize: size) { piece in
                ok = LoopbackSocket.sendAll(self.fd, Array(String(piece.count, radix: 16).utf8) + [13, 10])
                    && LoopbackSocket.sendAll(self.fd, piece) && LoopbackSocket.sendAll(self.fd, [13, 10])
                return ok
            }
            return ok && LoopbackSocket.sendAll(self.fd, Array("0\r\n\r\n".utf8))
        case "/slow":
            _ = body.readAll()
            let totalMs = query["ms"].flatMap { Int($0) } ?? 1000
            let count = query["n"].flatMap { Int($0) } ?? 1000
            let pieces = 10
            guard self.sendHead(200, headers: [HTTPField("Content-Length", "\(count)")]) else { return false }
            let all = Pattern.bytes(count)
            for i in 0..<pieces {
                usleep(UInt32(totalMs * 1000 / pieces))
                let range = (count * i / pieces)..<(count * (i + 1) / pieces)
                guard LoopbackSocket.sendAll(self.fd, all[range]) else { return false }
            }
            return true
        case "/stall":
            _ = body.readAll()
            while !reader.read(max: 65536).isEmpty {}  // until the proxy gives up and closes
            return false
        case "/upload":
            var offset = 0
            var matches = true
            while let piece = body.next() {
                if matches { matches = piece.withUnsafeBytes { Pattern.matches($0, at: offset) } }
                offset += piece.count
            }
            return self.respond(200, body: Array("bytes=\(offset) pattern=\(matches ? "ok" : "bad")\n".utf8))
        case "/ws":
            return self.webSocketEcho(request, reader: reader)
        default:
            _ = body.readAll()
            return self.respond(404, body: Array("no such endpoint\n".utf8))
        }
    }

    private func webSocketEcho(_ request: RecordedRequest, reader: SocketReader) -> Bool {
        guard request.header("upgrade")?.lowercased() == "websocket", let key = request.header("sec-websocket-key") else {
            return self.respond(400, body: Array("not a websocket upgrade\n".utf8))
        }
        let head =
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: \(WebSocket.accept(forKey: key))\r\n\r\n"
        guard LoopbackSocket.sendAll(self.fd, Array(head.utf8)) else { return false }
        var pending: [UInt8] = []
        while true {
            while let frame = WebSocket.parseFrame(pending) {
                pending.removeFirst(frame.used)
                switch frame.opcode {
                case 0x8:
                    LoopbackSocket.sendAll(self.fd, WebSocket.frame(opcode: 0x8, payload: frame.payload))
                    return false
                case 0x9:
                    LoopbackSocket.sendAll(self.fd, WebSocket.frame(opcode: 0xA, payload: frame.payload))
                default:
                    LoopbackSocket.sendAll(self.fd, WebSocket.frame(opcode: frame.opcode, payload: frame.payload))
                }
            }
            let more = reader.read(max: 65536)
            if more.isEmpty { return false }
            pending.append(contentsOf: more)
        }
    }

    private func sendHead(_ status: Int, headers: [HTTPField]) -> Bool {
        let reason = [200: "OK", 400: "Bad Request", 404: "Not Found"][status] ?? "Status"
        var head = "HTTP/1.1 \(status) \(reason)\r\n"
        for field in headers { head += "\(field.name): \(field.value)\r\n" }
        head += "X-Upstream: \(self.upstream.name)\r\n\r\n"
        return LoopbackSocket.sendAll(self.fd, Array(head.utf8))
    }

    private func respond(_ status: Int, body: [UInt8], headers: [HTTPField] = []) -> Bool {
        var all = headers
        if !all.contains(where: { $0.name == "Content-Type" }) { all.append(HTTPField("Content-Type", "text/plain")) }
        all.append(HTTPField("Content-Length", "\(body.count)"))
        return self.sendHead(status, headers: all) && LoopbackSocket.sendAll(self.fd, body)
    }

    static func query(_ target: String) -> [String: String] {
        guard let q = target.split(separator: "?", maxSplits: 1).dropFirst().first else { return [:] }
        var out: [String: String] = [:]
        for pair in q.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1)
            out[String(kv[0])] = kv.count > 1 ? String(kv[1]) : ""
        }
        return out
    }
}
