import Foundation
import TestSupport
import Testing

extension ACMEIntegration {
    /// Provisioning on arrival: a watched domain gets a site from `[[site_template]]` and a certificate
    /// once its DNS (pebble-challtestsrv, also the proxy's `[acme] resolver`) points here.
    @Suite struct ACMEDomainWatchTests {
        @Test func domainIsProvisionedOnceItsCNAMEPointsHere() async throws {
            let httpPort = try LoopbackSocket.closedPort()
            let pebble = try await PebbleHarness.start(httpPort: httpPort, defaultIPv4: "")
            defer { pebble.shutdown() }
            try await pebble.challtest("add-a", ["host": "edge.platform.test.", "addresses": ["127.0.0.1"]])
            let proxy = try await ACMEProxy.start(config: Self.config(httpPort: httpPort, pebble: pebble))
            defer {
                proxy.process.kill()
                proxy.remove()
            }
            let admin = AdminClient(port: proxy.adminPort, token: try Self.token(proxy))

            // Added through the CLI while DNS has no record: looked up, still waiting, nothing ordered.
            let add = try await ChildProcess.run(
                try ProxyUnderTest.binary(),
                [
                    "domains", "add", "Shop.Customer.test", "--expect", "edge.platform.test", "--config",
                    proxy.directory + "/proxy.conf",
                ])
            #expect(add.exitCode == 0, "\(add.stderr)")
            try await eventually(within: 10, "a first lookup of shop.customer.test") {
                let row = try await Self.domain("shop.customer.test", admin)
                return row?["last_checked"] != nil && row?["state"] as? String == "waiting for DNS"
            }
            #expect(!proxy.logs.contains("certificate issued"))

            // The API: add, duplicate, bad input.
            let created = try await admin.object(
                "POST", "/api/v1/domains", json: ["domain": "later.customer.test", "expect": "edge.platform.test"])
            #expect(created.status == 201 && created.body["state"] as? String == "waiting for DNS")
            #expect(
                try await admin.object(
                    "POST", "/api/v1/domains", json: ["domain": "later.customer.test", "expect": "x.test"]
                ).status == 409)
            let bad = try await admin.object(
                "POST", "/api/v1/domains", json: ["domain": "bad..name", "expect": "edge.platform.test"])
            #expect(bad.status == 400 && (bad.body["detail"] as? String ?? "").contains("domain"))

            // The customer creates the record: ordered, issued and served without anyone acting.
            let recordCreated = ContinuousClock.now
            try await pebble.challtest("set-cname", ["host": "shop.customer.test.", "target": "edge.platform.test."])
            try await proxy.waitForPebbleCertificate(serverName: "shop.customer.test", within: 30)
            let elapsed = ContinuousClock.now - recordCreated
            print("DNS watch: record created -> certificate served in \(elapsed) (watch_interval 1s)")
            let chain = try await proxy.servedChain(serverName: "shop.customer.test")
            #expect(
                try await ACMEPEM.verifies(
                    chain: chain, root: try await pebble.issuingRoot(), host: "shop.customer.test", in: proxy.directory)
            )
            let page = try await Curl.run(
                [
                    "-k", "--resolve", "shop.customer.test:\(proxy.httpsPort):127.0.0.1",
                    "https://shop.customer.test:\(proxy.httpsPort)/",
                ])
            #expect(page.status == 200 && page.bodyText == "provisioned\n")
            try await eventually(within: 5, "shop.customer.test deployed") {
                try await Self.domain("shop.customer.test", admin)?["state"] as? String == "deployed"
            }
            #expect(try await Self.domain("later.customer.test", admin)?["state"] as? String == "waiting for DNS")
            var info = stat()
            #expect(stat(proxy.stateDir + "/domains.json", &info) == 0 && info.st_mode & 0o777 == 0o600)

            // Removing it drops the provisioned site: the name falls back to the default certificate.
            #expect(try await admin.request("DELETE", "/api/v1/domains/shop.customer.test").status == 204)
            try await eventually(within: 10, poll: 0.1, "shop.customer.test no longer served by its site") {
                let served = try await proxy.servedChain(serverName: "shop.customer.test")
                return try await !ACMEPEM.field(served[0], "subject").contains("shop.customer.test")
            }
            let list = try await ChildProcess.run(
                try ProxyUnderTest.binary(), ["domains", "list", "--config", proxy.directory + "/proxy.conf"])
            let text = String(decoding: list.stdout, as: UTF8.self)
            #expect(text.contains("later.customer.test") && !text.contains("shop.customer.test"), "\(text)")
        }

        /// Same addresses as `expect` also counts as pointing here (an A record instead of a CNAME).
        @Test func sameAddressesAsExpectCountAsPointingHere() async throws {
            let httpPort = try LoopbackSocket.closedPort()
            let pebble = try await PebbleHarness.start(httpPort: httpPort, defaultIPv4: "")
            defer { pebble.shutdown() }
            try await pebble.challtest("add-a", ["host": "edge.platform.test.", "addresses": ["127.0.0.1"]])
            try await pebble.challtest("add-a", ["host": "apex.customer.test.", "addresses": ["127.0.0.2"]])
            let proxy = try await ACMEProxy.start(config: Self.config(httpPort: httpPort, pebble: pebble))
            defer {
                proxy.process.kill()
                proxy.remove()
            }
            let admin = AdminClient(port: proxy.adminPort, token: try Self.token(proxy))
            #expect(
                try await admin.object(
                    "POST", "/api/v1/domains", json: ["domain": "apex.customer.test", "expect": "edge.platform.test"]
                ).status == 201)
            try await eventually(within: 10, "a lookup that finds other addresses") {
                try await Self.domain("apex.customer.test", admin)?["last_checked"] != nil
            }
            #expect(try await Self.domain("apex.customer.test", admin)?["state"] as? String == "waiting for DNS")
            try await pebble.challtest("clear-a", ["host": "apex.customer.test."])
            try await pebble.challtest("add-a", ["host": "apex.customer.test.", "addresses": ["127.0.0.1"]])
            try await proxy.waitForPebbleCertificate(serverName: "apex.customer.test", within: 30)

            // After a restart the domain keeps its site and certificate without a new order.
            await proxy.stop()
            let config = try String(contentsOfFile: proxy.directory + "/proxy.conf", encoding: .utf8)
            let again = try await ACMEProxy.start(config: config, directory: proxy.directory)
            defer { again.process.kill() }
            try await again.waitForPebbleCertificate(serverName: "apex.customer.test", within: 10)
            #expect(
                try await Self.domain(
                    "apex.customer.test", AdminClient(port: again.adminPort, token: try Self.token(again)))?["state"]
                    as? String == "deployed")
            #expect(!again.logs.contains("certificate issued"))
        }

        /// A template with `challenge = "tls-alpn-01"` provisions with no HTTP listener at all.
        @Test func templateWithTLSALPNChallengeNeedsNoHTTPListener() async throws {
            let tlsPort = try LoopbackSocket.closedPort()
            let pebble = try await PebbleHarness.start(httpPort: try LoopbackSocket.closedPort(), tlsPort: tlsPort)
            defer { pebble.shutdown() }
            let config = """
                [server]
                state_dir = "state"
                workers = 2
                [[listener]]
                bind = "127.0.0.1:\(tlsPort)"
                tls = true
                [[site]]
                hosts = ["static.test"]
                respond = "static\\n"
                [[site_template]]
                respond = "provisioned\\n"
                challenge = "tls-alpn-01"
                [acme]
                directory = "\(pebble.directoryURL)"
                agree_tos = true
                ca_file = "\(pebble.endpointCA)"
                resolver = "127.0.0.1:\(pebble.dnsPort)"
                watch_interval = "1s"

                """
            let proxy = try await ACMEProxy.start(config: config)
            defer {
                proxy.process.kill()
                proxy.remove()
            }
            try await pebble.challtest("set-cname", ["host": "alpn.customer.test.", "target": "edge.platform.test."])
            let add = try await ChildProcess.run(
                try ProxyUnderTest.binary(),
                [
                    "domains", "add", "alpn.customer.test", "--expect", "edge.platform.test", "--config",
                    proxy.directory + "/proxy.conf",
                ])
            #expect(add.exitCode == 0, "\(add.stderr)")
            try await proxy.waitForPebbleCertificate(serverName: "alpn.customer.test", within: 30)
        }

        static func config(httpPort: UInt16, pebble: PebbleHarness) -> String {
            let base = ACMEProxy.config(
                httpPort: httpPort, pebble: pebble, sites: [],
                acmeExtra: ["resolver = \"127.0.0.1:\(pebble.dnsPort)\"", "watch_interval = \"1s\""])
            return base + """

                [[site]]
                hosts = ["static.test"]
                respond = "static\\n"

                [[site_template]]
                respond = "provisioned\\n"

                [admin]
                bind = "127.0.0.1:0"

                """
        }

        static func token(_ proxy: ACMEProxy) throws -> String {
            try String(contentsOfFile: proxy.stateDir + "/admin.token", encoding: .utf8).trimmingCharacters(
                in: .whitespacesAndNewlines)
        }

        /// One row of `GET /api/v1/domains`.
        static func domain(_ name: String, _ admin: AdminClient) async throws -> [String: Any]? {
            let result = try await admin.request("GET", "/api/v1/domains")
            let rows = try JSONSerialization.jsonObject(with: Data(result.body)) as? [[String: Any]]
            return rows?.first { $0["domain"] as? String == name }
        }
    }
}
