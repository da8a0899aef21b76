import Foundation
import Testing
import TestSupport

/// The harness on its own, without the proxy: the upstream's endpoints over plain HTTP with curl, the
/// WebSocket echo over a raw socket, and TLSProbe/TLSSession against `openssl s_server`. If these fail,
/// the scenario failures are the harness's fault, not the proxy's.
@Suite struct HarnessSelfTests {
    @Test func upstreamEndpointsAndKeepAlive() async throws {
        let upstream = try TestUpstream(name: "solo")
        defer { upstream.stop() }
        let base = "http://127.0.0.1:\(upstream.port)"
        let name = try await Curl.run([base + "/name"])
        #expect(name.status == 200 && name.bodyText == "solo")

        let three = try await Curl.run([base + "/name", base + "/name", "-o", "/dev/null", base + "/name", "-o", "/dev/null"])
        #expect(three.transfers.map(\.newConnections) == [1, 0, 0])
        let ids = Set(upstream.requests.suffix(3).map(\.connectionID))
        #expect(ids.count == 1)

        let bytes = try await Curl.run([base + "/bytes?n=300000"])
        #expect(bytes.body == Pattern.bytes(300_000))
        let chunked = try await Curl.run([base + "/chunked?n=5000&size=700"])
        #expect(chunked.header("transfer-encoding") == "chunked" && chunked.body == Pattern.bytes(5000))

        let echo = try await Curl.run([base + "/echo", "--data-binary", "hello", "-H", "Transfer-Encoding: chunked"])
        #expect(echo.bodyText == "hello" && echo.header("x-echo-framing") == "chunked")

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("selftest-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Pattern.writeFile(dir + "/up", count: 200_000)
        let upload = try await Curl.run([base + "/upload", "-T", dir + "/up", "-X", "POST", "-H", "Expect:"])
        #expect(upload.bodyText == "bytes=200000 pattern=ok\n")
        #expect(upstream.requests.last?.bodyLength == 200_000)
    }

    @Test func upstreamWebSocketEcho() async throws {
        let upstream = try TestUpstream()
        defer { upstream.stop() }
        let fd = try #require(LoopbackSocket.connect(port: upstream.port))
        defer { close(fd) }
        let key = "dGhlIHNhbXBsZSBub25jZQ=="
        #expect(WebSocket.accept(forKey: key) == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")  // RFC 6455 §1.3
        let request = "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: \(key)\r\nSec-WebSocket-Version: 13\r\n\r\n"
        LoopbackSocket.sendAll(fd, Array(request.utf8))
        LoopbackSocket.sendAll(fd, WebSocket.frame(opcode: 1, payload: Array("hi".utf8), mask: [1, 2, 3, 4]))
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        try await eventually(within: 5, "101 and echo frame") {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if n > 0 { received += buffer[0..<n] }
            guard let (head, used) = HTTPResponse.parse(received) else { return false }
            #expect(head.status == 101 && head.header("sec-websocket-accept") == WebSocket.accept(forKey: key))
            return WebSocket.parseFrame(Array(received[used...]))?.payload == Array("hi".utf8)
        }
    }

    @Test func tlsProbeAgainstOpenSSLServer() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("selftest-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let cert = try await TestCA.selfSigned(commonName: "probe.test", dnsNames: ["probe.test", "*.probe.test"], in: dir)
        let server = try ChildProcess(
            "openssl", ["s_server", "-accept", "127.0.0.1:0", "-cert", cert.certificate, "-key", cert.key, "-www"])
        defer { server.kill() }
        let port = try await eventuallyValue(within: 10, "s_server ACCEPT line") { () -> UInt16? in
            guard let line = server.stdoutText.split(separator: "\n").first(where: { $0.hasPrefix("ACCEPT") }) else { return nil }
            return UInt16(line.split(separator: ":").last ?? "")
        }
        let hello = try await TLSProbe.handshake(port: port, serverName: "probe.test")
        #expect(hello.commonName == "probe.test")
        #expect(hello.subjectAltNames == ["probe.test", "*.probe.test"])
        #expect(hello.protocolVersion == "TLSv1.3")
        #expect(!hello.reused)

        let response = try await TLSProbe.exchange(port: port, serverName: "probe.test", send: "GET / HTTP/1.0\r\n\r\n")
        #expect(response.status == 200)
    }
}
