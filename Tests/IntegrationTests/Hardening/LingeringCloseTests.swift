import Foundation
import TestSupport
import Testing

/// After an error response the proxy closes its write side (close_notify, FIN) and keeps reading and
/// discarding what the client still sends for a short time, so a client still uploading is not answered
/// with a reset (which can destroy the response it has not read yet).
@Suite struct LingeringCloseTests {
    /// A TLS client that announces a large body, reads the whole answer (through the server's
    /// close_notify), then goes on sending body bytes for half a second, as a client busy uploading does.
    static let script = """
        import socket, ssl, sys, time
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        raw = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
        tls = ctx.wrap_socket(raw, server_hostname="l.test")
        tls.sendall(b"POST / HTTP/1.1\\r\\nHost: l.test\\r\\nContent-Length: 5000000\\r\\n\\r\\n" + b"a" * 1000)
        data = b""
        while True:
            piece = tls.recv(65536)
            if not piece:
                break
            data += piece
        status = data.split(b"\\r\\n")[0].decode() if data else "no response"
        outcome = "drained"
        started = time.monotonic()
        try:
            while time.monotonic() - started < 0.5:
                tls.sendall(b"a" * 16384)
                time.sleep(0.01)
        except (OSError, ssl.SSLError) as error:
            outcome = "reset: %s" % error
        print(status + " / " + outcome)
        """

    @Test func clientStillSendingReads413() async throws {
        let proxy = try await ProxyUnderTest.start(
            ProxyConfigSpec(server: ["max_body_bytes": "1000"], sites: [.respond(["l.test"], "ok\n")]))
        defer { proxy.kill() }
        for _ in 0..<3 {
            let result = try await ChildProcess.run("python3", ["-c", Self.script, String(proxy.httpsPort)], within: 30)
            let line = String(decoding: result.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(line == "HTTP/1.1 413 Content Too Large / drained", "got \(line); \(result.stderr)")
        }
    }
}
