import Foundation
import TestSupport
import Testing

extension ACMEIntegration {
    /// On-demand TLS: an unknown SNI name on an `on_demand = true` listener is checked with the `ask`
    /// endpoint and, when allowed, gets its certificate during its first handshake (parked meanwhile).
    @Suite struct ACMEOnDemandTests {
        @Test func allowedNameIsIssuedAtItsFirstHandshakeAndRefusedOneGetsTheDefault() async throws {
            let (pebble, proxy, ask, httpPort) = try await Self.start(allowed: ["a.test", "c.test"])
            defer {
                pebble.shutdown()
                proxy.process.kill()
                proxy.remove()
                ask.kill()
            }
            _ = httpPort

            let started = ContinuousClock.now
            let chain = try await proxy.servedChain(serverName: "a.test")
            let elapsed = ContinuousClock.now - started
            print("on-demand: first handshake for a.test completed with its issued certificate after \(elapsed)")
            #expect(
                try await ACMEPEM.field(chain[0], "issuer").contains("Pebble"), "first handshake served \(chain[0])")
            #expect(
                try await ACMEPEM.verifies(
                    chain: chain, root: try await pebble.issuingRoot(), host: "a.test", in: proxy.directory))

            // Refused by ask: the default certificate, and no order.
            let refused = try await proxy.servedChain(serverName: "b.test")
            #expect(try await ACMEPEM.field(refused[0], "subject").contains("static.test"))
            // An IP literal in SNI never asks.
            let literal = try await proxy.servedChain(serverName: "127.0.0.1")
            #expect(try await ACMEPEM.field(literal[0], "subject").contains("static.test"))
            #expect(Self.asked(ask) == ["a.test", "b.test"], "ask saw \(Self.asked(ask))")
            #expect(Self.count("certificate issued", in: proxy.logs) == 1)
            #expect(!proxy.logs.contains("certificate=b.test"))

            // 50 parallel first handshakes for one new name: one ask, one order, all served the issued certificate.
            let issuers = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<50 {
                    group.addTask {
                        try await ACMEPEM.field(try await proxy.servedChain(serverName: "c.test")[0], "issuer")
                    }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(issuers.count == 50 && issuers.allSatisfy { $0.contains("Pebble") }, "\(Set(issuers))")
            #expect(Self.asked(ask).filter { $0 == "c.test" }.count == 1)
            #expect(Self.count("certificate issued", in: proxy.logs) == 2)
        }

        /// With the CA gone, an allowed name's first handshake does not hang: it completes with the
        /// default certificate once `on_demand_timeout` (1 s) has passed or the order has failed.
        @Test func aNameWhoseOrderCannotCompleteGetsTheDefaultCertificate() async throws {
            let (pebble, proxy, ask, _) = try await Self.start(allowed: ["slow.test"], timeout: "1s")
            defer {
                pebble.shutdown()
                proxy.process.kill()
                proxy.remove()
                ask.kill()
            }
            try await pebble.stopPebble()
            let started = ContinuousClock.now
            let chain = try await proxy.servedChain(serverName: "slow.test")
            let elapsed = ContinuousClock.now - started
            #expect(try await ACMEPEM.field(chain[0], "subject").contains("static.test"))
            #expect(elapsed < .seconds(6), "the handshake took \(elapsed)")
            #expect(Self.asked(ask) == ["slow.test"])
        }

        @Test func onDemandWithoutAskIsRefused() async throws {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "ondemand-\(UUID().uuidString)"
            ).path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let config =
                "[[listener]]\nbind = \"127.0.0.1:0\"\ntls = true\non_demand = true\n[[site]]\nhosts = [\"a.test\"]\nrespond = \"x\"\n"
            try config.write(toFile: directory + "/proxy.conf", atomically: true, encoding: .utf8)
            let result = try await ChildProcess.run(
                try ProxyUnderTest.binary(), ["validate", "--config", directory + "/proxy.conf"])
            #expect(result.exitCode == 1)
            #expect(
                result.stderr.contains("proxy.conf:4: [[listener]].on_demand: on_demand needs [acme] ask"),
                "\(result.stderr)")
        }

        static func start(allowed: [String], timeout: String = "15s") async throws -> (
            PebbleHarness, ACMEProxy, ChildProcess, UInt16
        ) {
            let httpPort = try LoopbackSocket.closedPort()
            let askPort = try LoopbackSocket.closedPort()
            let ask = try ChildProcess(
                "/usr/bin/python3", ["-c", Self.askServer, "\(askPort)", allowed.joined(separator: ",")])
            let pebble = try await PebbleHarness.start(httpPort: httpPort)
            var config = ACMEProxy.config(
                httpPort: httpPort, pebble: pebble, sites: [],
                acmeExtra: ["ask = \"http://127.0.0.1:\(askPort)/allowed\"", "on_demand_timeout = \"\(timeout)\""])
            config = config.replacingOccurrences(
                of: "tls = true", with: "tls = true\non_demand = true\ndefault_certificate = \"static.test\"")
            config +=
                "\n[[site]]\nhosts = [\"static.test\"]\nrespond = \"static\\n\"\n\n[[site_template]]\nrespond = \"on-demand\\n\"\n"
            let proxy = try await ACMEProxy.start(config: config)
            try await eventually(within: 10, "the ask server") {
                try await Curl.run(["http://127.0.0.1:\(askPort)/allowed?domain=probe.invalid"]).status == 403
            }
            return (pebble, proxy, ask, httpPort)
        }

        /// Domains the ask server was asked about, in order (the readiness probe excluded).
        static func asked(_ ask: ChildProcess) -> [String] {
            ask.stdoutText.split(separator: "\n").map(String.init).filter { $0 != "probe.invalid" }
        }

        static func count(_ text: String, in logs: String) -> Int { logs.components(separatedBy: text).count - 1 }

        /// 2xx for the allowed names, 403 otherwise; prints each asked domain.
        static let askServer = """
            import http.server, sys, urllib.parse
            allowed = set(sys.argv[2].split(','))
            class Handler(http.server.BaseHTTPRequestHandler):
                def do_GET(self):
                    domain = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query).get('domain', [''])[0]
                    print(domain, flush=True)
                    self.send_response(200 if domain in allowed else 403)
                    self.send_header('Content-Length', '0')
                    self.end_headers()
                def log_message(self, *args):
                    pass
            http.server.ThreadingHTTPServer(('127.0.0.1', int(sys.argv[1])), Handler).serve_forever()
            """
    }
}
