import Foundation
import Testing
import TestSupport

/// Zero-downtime swap (docs/REFERENCE.md, certificate store): `certs selfsign` replaces a live site's certificate 200 times while
/// a client performs handshakes back to back. No handshake fails, each gets a certificate that was in
/// service, and the new one is visible within 100 ms of each swap landing.
@Suite struct HotSwapTests {
    @Test func twoHundredSwapsUnderACertSwapClientLoop() async throws {
        let proxy = try await ProxyUnderTest.start(ProxyConfigSpec(server: ["workers": "1"], listeners: [.https()], sites: [.respond(["swap.test"], "ok\n")]))
        defer { proxy.kill() }
        let cli = CertsCLI(configPath: proxy.configPath)
        var identities: Set<String> = [try cli.leafIdentity("swap.test")]
        let loop = try CertSwapClientLoop(port: proxy.httpsPort, serverName: "swap.test")
        var swaps: [(began: Int64, landed: Int64, identity: String)] = []
        for _ in 0..<200 {
            let began = certsWallClockNanoseconds()
            let result = try await cli.run(["selfsign", "--name", "swap.test", "--domain", "swap.test"])
            let landed = certsWallClockNanoseconds()
            #expect(result.exitCode == 0, "\(result.stderr)")
            let identity = try cli.leafIdentity("swap.test")
            identities.insert(identity)
            swaps.append((began, landed, identity))
            try await eventually(within: 5, poll: 0.005, "handshake with the new certificate") {
                guard let last = loop.last, last.start > landed else { return false }
                return last.identity == identity
            }
        }
        try await loop.stop()
        let handshakes = loop.handshakes
        #expect(handshakes.count > 400, "the client loop kept going (\(handshakes.count) handshakes)")
        #expect(handshakes.filter { $0.failure != nil }.map { $0.failure! }.prefix(3) == [], "zero failed handshakes")
        #expect(handshakes.allSatisfy { $0.identity.map(identities.contains) ?? true }, "only certificates that were in service")
        var slowest: Int64 = 0
        for (index, swap) in swaps.enumerated() {
            let nextSwap = index + 1 < swaps.count ? swaps[index + 1].began : Int64.max
            // Every handshake that started 100 ms or more after the swap landed (and before the next swap
            // began) has the new certificate. (The time to the first new handshake also includes the
            // client's own scheduling, so it is reported, not asserted.)
            let stale = handshakes.filter {
                $0.start >= swap.landed + 100_000_000 && $0.start < nextSwap && $0.identity != swap.identity
            }
            #expect(stale.isEmpty, "swap \(index): \(stale.count) handshakes still saw the old certificate after 100 ms")
            let first = handshakes.first { $0.start > swap.landed && $0.identity == swap.identity }
            slowest = max(slowest, ((first?.start ?? swap.landed) - swap.landed) / 1_000_000)
        }
        print("HotSwapTests: \(handshakes.count) handshakes, slowest swap first seen after \(slowest) ms")
    }
}
