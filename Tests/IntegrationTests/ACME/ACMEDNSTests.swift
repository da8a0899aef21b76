import Foundation
import Testing
import TestSupport

extension ACMEIntegration {
    /// DNS-01 for a wildcard plus its apex, through a `dns_hook` that sets and clears TXT records in
    /// pebble-challtestsrv (which pebble resolves through).
    @Suite struct ACMEDNSTests {
        @Test func wildcardAndApexViaDNSHook() async throws {
            let httpPort = try LoopbackSocket.closedPort()
            let pebble = try await PebbleHarness.start(httpPort: httpPort)
            defer { pebble.shutdown() }
            let hook = pebble.directory + "/dns-hook.sh"
            let management = "http://127.0.0.1:\(pebble.challtestsrvPort)"
            let script = """
                #!/bin/sh
                set -eu
                echo "$1 $2 $3" >> "$0.log"
                case "$1" in
                  present) curl -sS --fail -X POST -d "{\\"host\\":\\"$2\\",\\"value\\":\\"$3\\"}" \(management)/set-txt ;;
                  cleanup) curl -sS --fail -X POST -d "{\\"host\\":\\"$2\\"}" \(management)/clear-txt ;;
                  *) exit 2 ;;
                esac
                """
            try script.write(toFile: hook, atomically: true, encoding: .utf8)
            chmod(hook, 0o755)
            let config = ACMEProxy.config(
                httpPort: httpPort, pebble: pebble, sites: [["*.example.com", "example.com"]], acmeExtra: ["dns_hook = \"\(hook)\""])
            let proxy = try await ACMEProxy.start(config: config)
            defer { proxy.process.kill(); proxy.remove() }
            try await proxy.waitForLog("certificate issued", within: 30)
            try await proxy.waitForPebbleCertificate(serverName: "foo.example.com")
            let root = try await pebble.issuingRoot()
            for (sni, host) in [("foo.example.com", "foo.example.com"), ("example.com", "example.com")] {
                let chain = try await proxy.servedChain(serverName: sni)
                #expect(try await ACMEPEM.verifies(chain: chain, root: root, host: host, in: proxy.directory), "\(sni)")
            }
            let calls = try String(contentsOfFile: hook + ".log", encoding: .utf8)
            #expect(calls.contains("present _acme-challenge.example.com. "))
            #expect(calls.contains("cleanup _acme-challenge.example.com. "))
        }

        /// `validate` refuses a wildcard ACME site without a DNS hook.
        @Test func wildcardWithoutHookIsAConfigError() async throws {
            let text = """
                [[listener]]
                bind = "127.0.0.1:0"
                tls = true
                [[site]]
                hosts = ["*.example.com"]
                certificate = "acme"
                respond = "x"
                [acme]
                agree_tos = true
                """
            let result = try await ProxyUnderTest.validate(configText: text)
            #expect(result.exitCode == 1)
            #expect(result.output.contains("proxy.conf:6: [[site]].certificate: wildcard host \"*.example.com\" needs DNS-01"), "\(result.output)")
        }
    }
}
