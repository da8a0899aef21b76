import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Chunked trailers are filtered like headers in both directions (issue 14 item 7): hop-by-hop fields,
/// the forwarding and identity fields only the proxy sets (underscore spellings too) and the framing
/// fields a trailer must not carry are dropped; other trailer fields pass unchanged.
@Suite struct TrailerFilteringTests {
    static let hostile = [
        "X-Forwarded-For: 6.6.6.6", "X-Real-IP: 6.6.6.6", "Forwarded: for=6.6.6.6", "X-Forwarded-Proto: gopher",
        "X_Client_Cert_Subject: CN=admin", "X-Client-Cert-Subject: CN=admin", "Connection: close", "Keep-Alive: 5",
        "Transfer-Encoding: chunked", "Content-Length: 5", "Host: evil.test", "Upgrade: h2c",
    ]
    static let kept = ["X-Checksum: 42", "Server-Timing: db;dur=53"]

    /// Names of the trailer fields in `raw` (the field lines after the `0` chunk).
    static func trailerNames(_ raw: String) -> [String] {
        guard let last = raw.range(of: "\r\n0\r\n", options: .backwards) else { return [] }
        return raw[last.upperBound...].components(separatedBy: "\r\n").filter { !$0.isEmpty }
            .map { String($0.prefix { $0 != ":" }).lowercased() }
    }

    @Test func requestAndResponseTrailersAreFiltered() async throws {
        let trailers = (Self.hostile + Self.kept).joined(separator: "\r\n") + "\r\n"
        let upstream = try RawCaptureUpstream(
            response: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Checksum\r\n\r\n4\r\nbody\r\n0\r\n" + trailers + "\r\n")
        let proxy = try await ProxyUnderTest.start(ProxyConfigSpec(sites: [.proxy(["t.test"], to: [upstream.address])]))
        defer { proxy.kill() }
        let session = try TLSSession(port: proxy.httpsPort, serverName: "t.test")
        defer { session.close() }
        try session.send("POST /up HTTP/1.1\r\nHost: t.test\r\nTransfer-Encoding: chunked\r\nTrailer: X-Checksum\r\n\r\n")
        // The trailer section arrives in pieces: it is forwarded only once complete, still filtered.
        let rest = "5\r\nhello\r\n0\r\n" + trailers + "\r\n"
        let cut = [rest.index(rest.startIndex, offsetBy: 14), rest.index(rest.endIndex, offsetBy: -30)]
        for piece in [rest[..<cut[0]], rest[cut[0]..<cut[1]], rest[cut[1]...]] {
            try session.send(String(piece))
            try await Task.sleep(for: .milliseconds(50))
        }

        let request = try await eventuallyValue(within: 10, "upstream got the whole chunked request") { upstream.request }
        let sentUp = Self.trailerNames(request)
        #expect(sentUp == ["x-checksum", "server-timing"], "request trailers forwarded: \(sentUp)")
        #expect(request.contains("\r\n5\r\nhello\r\n0\r\nX-Checksum: 42\r\nServer-Timing: db;dur=53\r\n\r\n"))

        let response = try await eventuallyValue(within: 10, "client got the whole chunked response") { () -> String? in
            let text = String(decoding: session.received, as: UTF8.self)
            guard let head = text.range(of: "\r\n\r\n"), text[head.upperBound...].contains("\r\n0\r\n"), text.hasSuffix("\r\n\r\n")
            else { return nil }
            return text
        }
        let sentDown = Self.trailerNames(response)
        #expect(sentDown == ["x-checksum", "server-timing"], "response trailers forwarded: \(sentDown)")
        #expect(response.hasPrefix("HTTP/1.1 200"))
    }
}

/// An upstream that records one raw request (head and chunked body up to the end of its trailers) and
/// answers it with fixed bytes, then closes.
final class RawCaptureUpstream: @unchecked Sendable {  // `captured` is behind Locked
    let port: UInt16
    var address: String { "127.0.0.1:\(self.port)" }
    private let captured = Locked<String?>(nil)
    private let fd: Int32

    init(response: String) throws {
        (self.fd, self.port) = try LoopbackSocket.listen()
        let fd = self.fd, captured = self.captured
        Thread {
            let client = LoopbackSocket.acceptCloseOnExec(fd)
            guard client >= 0 else { return }
            defer { close(client) }
            var timeout = timeval(tv_sec: 10, tv_usec: 0)
            setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 4096)
            while !Self.complete(bytes) {
                let n = read(client, &chunk, chunk.count)
                guard n > 0 else { return }
                bytes += chunk[0..<n]
            }
            captured.withLock { $0 = String(decoding: bytes, as: UTF8.self) }
            _ = LoopbackSocket.sendAll(client, Array(response.utf8))
        }.start()
    }

    /// The request as received, once complete.
    var request: String? { self.captured.value }

    /// A head, then a body whose trailer section has ended (the body holds no blank line before that).
    private static func complete(_ bytes: [UInt8]) -> Bool {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let head = text.range(of: "\r\n\r\n") else { return false }
        return text[head.upperBound...].contains("\r\n0\r\n") && text.hasSuffix("\r\n\r\n")
    }

    deinit {
        shutdown(self.fd, Int32(SHUT_RDWR))
        close(self.fd)
    }
}
