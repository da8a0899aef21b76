import Foundation
import PortcullisCertificates
import PortcullisConfig
@testable import PortcullisTLS
import Testing

/// Real handshakes: `openssl s_client` against an in-process loopback server that accepts with the front
/// context, so SNI selection, the per-connection policy fix-up and session isolation run for real.
@Suite(.serialized) struct HandshakeTests {
    /// A snapshot built from config (a.test, *.wild.test as an ACME placeholder, default.test) and a server.
    private static func configuredServer() throws -> (LoopbackTLSServer, CertificateRegistry, TemporaryDirectory) {
        let directory = try TemporaryDirectory()
        let registry = CertificateRegistry()
        let config = makeConfig(stateDir: directory.path, sites: SnapshotBuilderTests.sites)
        let store = CertificateStore(layout: StoreLayout(stateDir: directory.path))
        let snapshot = try SnapshotBuilder.build(config: config, store: store, registry: registry, generation: 1)
        let front = try FrontTLSContext(
            holder: CertSnapshotHolder(snapshot), defaultCertificateID: registry.id(for: "default.test"),
            policy: .intermediate)
        return (try LoopbackTLSServer(front: front), registry, directory)
    }

    @Test func sniSelectsExactWildcardAndDefault() throws {
        let (server, registry, _) = try Self.configuredServer()
        defer { server.stop() }
        let cases: [(sni: String?, cn: String, id: String, recorded: String)] = [
            ("a.test", "a.test", "a.test", "a.test"),
            ("WWW.A.TEST", "a.test", "a.test", "www.a.test"),
            ("x.wild.test", "*.wild.test", "_wildcard.wild.test", "x.wild.test"),
            ("y.x.wild.test", "default.test", "default.test", "y.x.wild.test"),
            ("unknown.test", "default.test", "default.test", "unknown.test"),
            (nil, "default.test", "default.test", ""),
        ]
        for (index, item) in cases.enumerated() {
            let result = try SClient.connect(port: server.port, serverName: item.sni)
            #expect(!result.raw.timedOut)
            #expect(result.completed, "\(item.sni ?? "no SNI"): \(result.raw.output)")
            #expect(result.subjectCN == item.cn, "\(item.sni ?? "no SNI")")
            let accepted = server.accepted
            #expect(accepted.count == index + 1)
            #expect(accepted.last?.certificateID == registry.id(for: item.id))
            #expect(accepted.last?.serverName == item.recorded)
        }
    }

    @Test(arguments: ["-tls1_3", "-tls1_2"])
    func sessionsResumeOnlyOnTheirSite(_ version: String) throws {
        let (server, _, directory) = try Self.configuredServer()
        defer { server.stop() }
        let session = directory.file("session.pem")
        let first = try SClient.connect(port: server.port, serverName: "a.test", [version, "-sess_out", session])
        #expect(first.session == "New" && first.subjectCN == "a.test", "\(first.raw.output)")
        #expect(first.protocolVersion == (version == "-tls1_3" ? "TLSv1.3" : "TLSv1.2"))
        #expect(server.accepted.last?.protocolName == first.protocolVersion)
        let same = try SClient.connect(port: server.port, serverName: "a.test", [version, "-sess_in", session])
        #expect(same.session == "Reused", "control: the session must resume on its own site")
        for other in ["default.test", "x.wild.test"] {
            let cross = try SClient.connect(port: server.port, serverName: other, [version, "-sess_in", session])
            #expect(cross.completed)
            #expect(cross.session == "New", "a session from a.test resumed on \(other)")
            #expect(cross.subjectCN != "a.test")
        }
    }

    /// Sites whose policy differs from the front context's in one setting each.
    private static func policyServer() throws -> LoopbackTLSServer {
        var strict = TLSPolicySettings.intermediate
        strict.minVersion = TLSVersion.tls1_3
        var narrow = TLSPolicySettings.intermediate
        narrow.cipherList = "ECDHE-ECDSA-AES256-GCM-SHA384"
        narrow.ciphersuites = "TLS_CHACHA20_POLY1305_SHA256"
        var p384 = TLSPolicySettings.intermediate
        p384.groups = "secp384r1"
        var noTickets = TLSPolicySettings.intermediate
        noTickets.sessionTickets = false
        let policies = [("a.test", TLSPolicySettings.intermediate), ("strict.test", strict),
            ("narrow.test", narrow), ("p384.test", p384), ("notickets.test", noTickets)]
        var sites: [(hosts: [String], context: SiteTLSContext)] = []
        for (id, (host, policy)) in policies.enumerated() {
            let (chain, key) = try SelfSignedGenerator.generate(domains: [host])
            let context = try SiteTLSContext(
                chainPEM: chain, keyPEM: key, certificateID: id, sessionIDContext: host, policy: policy)
            sites.append(([host], context))
        }
        let holder = CertSnapshotHolder(CertSnapshot(generation: 1, sites: sites))
        return try LoopbackTLSServer(front: FrontTLSContext(holder: holder, defaultCertificateID: nil, policy: .intermediate))
    }

    @Test func eachSitePolicyAppliesToItsConnections() throws {
        let server = try Self.policyServer()
        defer { server.stop() }
        let probes: [(flags: [String], site: String)] = [
            (["-tls1_2"], "strict.test"),
            (["-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256"], "narrow.test"),
            (["-tls1_3", "-ciphersuites", "TLS_AES_128_GCM_SHA256"], "narrow.test"),
            (["-tls1_3", "-groups", "X25519"], "p384.test"),
        ]
        for probe in probes {
            let control = try SClient.connect(port: server.port, serverName: "a.test", probe.flags)
            #expect(control.completed, "control \(probe.flags) failed: \(control.raw.output)")
            let refused = try SClient.connect(port: server.port, serverName: probe.site, probe.flags)
            #expect(!refused.raw.timedOut)
            #expect(!refused.completed, "\(probe.site) accepted \(probe.flags)")
        }
        let narrow = try SClient.connect(port: server.port, serverName: "narrow.test", ["-tls1_2"])
        #expect(narrow.raw.output.contains("Cipher is ECDHE-ECDSA-AES256-GCM-SHA384"))
        let withTicket = try SClient.connect(port: server.port, serverName: "a.test", ["-tls1_2"])
        #expect(withTicket.raw.output.contains("TLS session ticket:"))
        let withoutTicket = try SClient.connect(port: server.port, serverName: "notickets.test", ["-tls1_2"])
        #expect(withoutTicket.completed && !withoutTicket.raw.output.contains("TLS session ticket:"))
    }

    @Test func swappedSnapshotServesNewHandshakes() throws {
        let (chainA, keyA) = try SelfSignedGenerator.generate(domains: ["old.test"])
        let (chainB, keyB) = try SelfSignedGenerator.generate(domains: ["new.test"])
        let old = try SiteTLSContext(chainPEM: chainA, keyPEM: keyA, certificateID: 0, sessionIDContext: "s", policy: .intermediate)
        let new = try SiteTLSContext(chainPEM: chainB, keyPEM: keyB, certificateID: 0, sessionIDContext: "s", policy: .intermediate)
        let holder = CertSnapshotHolder(CertSnapshot(generation: 1, sites: [(["site.test"], old)]))
        let server = try LoopbackTLSServer(front: FrontTLSContext(holder: holder, defaultCertificateID: nil, policy: .intermediate))
        defer { server.stop() }
        #expect(try SClient.connect(port: server.port, serverName: "site.test").subjectCN == "old.test")
        holder.swap(CertSnapshot(generation: 2, sites: [(["site.test"], new)]))
        #expect(holder.current().generation == 2)
        #expect(try SClient.connect(port: server.port, serverName: "site.test").subjectCN == "new.test")
    }
}
