import Foundation
import TestSupport

/// pebble-challtestsrv answering DNS only, on free loopback ports; records set through its management API.
final class ChallTestServer: @unchecked Sendable {  // owned by one test
    let dnsPort: UInt16
    let managementPort: UInt16
    let process: ChildProcess

    /// Starts it; `defaultIPv4` is the A answer for names without a mock record ("" = none).
    static func start(defaultIPv4: String = "127.0.0.1") async throws -> ChallTestServer {
        let server = try ChallTestServer(defaultIPv4: defaultIPv4)
        try await eventually(within: 20, poll: 0.05, "challtestsrv management on \(server.managementPort)") {
            if server.process.hasExited { throw HarnessError("challtestsrv exited: \(server.process.stderrText)") }
            return (try? await server.post("set-default-ipv4", ["ip": defaultIPv4])) != nil
        }
        return server
    }

    private init(defaultIPv4: String) throws {
        (self.dnsPort, self.managementPort) = (try LoopbackSocket.closedPort(), try LoopbackSocket.closedPort())
        self.process = try ChildProcess(
            "pebble-challtestsrv",
            [
                "-defaultIPv4", defaultIPv4, "-defaultIPv6", "", "-dns01", "127.0.0.1:\(self.dnsPort)",
                "-management", "127.0.0.1:\(self.managementPort)", "-http01", "", "-https01", "", "-tlsalpn01", "",
            ])
    }

    /// POSTs a JSON object to `/path`; throws unless it answers 2xx.
    func post(_ path: String, _ body: [String: Any]) async throws {
        let json = String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self)
        let result = try await ChildProcess.run(
            "curl",
            [
                "-sS", "--fail", "--max-time", "5", "-X", "POST", "-d", json,
                "http://127.0.0.1:\(self.managementPort)/\(path)",
            ],
            within: 10)
        guard result.exitCode == 0 else { throw HarnessError("challtestsrv /\(path) failed: \(result.stderr)") }
    }

    func shutdown() { self.process.kill() }
}
