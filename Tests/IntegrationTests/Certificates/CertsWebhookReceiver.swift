import Foundation
import TestSupport

/// A local HTTP server (Python) that answers every POST with 204 and prints each body on one line.
final class CertsWebhookReceiver: @unchecked Sendable {  // the child process is thread-safe
    private let child: ChildProcess
    let port: UInt16

    init(within seconds: Double = 10) async throws {
        let child = try ChildProcess("python3", ["-c", Self.script])
        self.child = child
        self.port = try await eventuallyValue(within: seconds, "webhook receiver port") { () -> UInt16? in
            child.stdoutText.split(separator: "\n").first.flatMap { UInt16($0.dropFirst("PORT ".count)) }
        }
    }

    /// Every body received so far, as JSON objects.
    var bodies: [[String: Any]] {
        self.child.stdoutText.split(separator: "\n").dropFirst().compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    func stop() { self.child.kill() }

    static let script = """
        import http.server, sys
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                sys.stdout.write(body.decode().replace("\\n", " ") + "\\n")
                sys.stdout.flush()
                self.send_response(204)
                self.end_headers()
            def log_message(self, *args):
                pass
        server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        sys.stdout.write("PORT %d\\n" % server.server_address[1])
        sys.stdout.flush()
        server.serve_forever()
        """
}
