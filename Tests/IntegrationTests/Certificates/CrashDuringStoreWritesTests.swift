import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// SIGKILL at random moments of the other store writers (issue 14, Build-this item 4; import is
/// `CrashDuringImportTests`): `certs rollback`, and the running proxy in the middle of a SIGHUP reload
/// that generates certificates. After every kill the store loads (`certs list` exits 0, the proxy
/// starts again) and every certificate in it is, whole, either its old or its new version.
/// `bench/crash_points.sh` runs the same with 100 iterations.
@Suite struct CrashDuringStoreWritesTests {
    static var iterations: Int { Int(ProcessInfo.processInfo.environment["PORTCULLIS_CRASH_ITERATIONS"] ?? "") ?? 20 }

    @Test func killedRollbacksSwapWholeVersionsOrNothing() async throws {
        let cli = try CertsCLI.scratch(sites: [("roll.test", "roll")])
        defer { cli.remove() }
        let folder = (cli.configPath as NSString).deletingLastPathComponent
        var identities: [String] = []
        for index in 0..<2 {
            try await cli.run(["selfsign", "--name", "v\(index)", "--domain", "roll.test"])
            let dir = cli.stateDir + "/certs/v\(index)"
            try FileManager.default.copyItem(atPath: dir + "/chain.pem", toPath: folder + "/v\(index).pem")
            try FileManager.default.copyItem(atPath: dir + "/key.pem", toPath: folder + "/v\(index).key")
            identities.append(try cli.leafIdentity("v\(index)"))
            try await cli.run(["import", "--name", "roll", "--cert", folder + "/v\(index).pem", "--key", folder + "/v\(index).key"])
        }
        let binary = try ProxyUnderTest.binary()
        // One whole rollback first: kills land anywhere from the start to just past its usual end.
        let started = ContinuousClock.now
        #expect(try await cli.run(["rollback", "roll"]).exitCode == 0)
        // Capped, so a loaded machine (slow CLI start) does not stretch the test.
        let window = UInt32(min(300_000, Self.microseconds(ContinuousClock.now - started) * 6 / 5))
        var swapped = 0
        var current = try cli.leafIdentity("roll")
        for run in 0..<Self.iterations {
            let child = try ChildProcess(binary, ["certs", "rollback", "roll", "--config", cli.configPath])
            usleep(UInt32.random(in: 0...window))
            child.kill()
            _ = try? await child.waitForExit(within: 10)
            let rows = try await cli.list()
            let row = try #require(rows.first { $0["name"] as? String == "roll" }, "run \(run)")
            #expect(row["status"] as? String == "valid", "run \(run)")
            let now = try cli.leafIdentity("roll")
            let previous = try CertsCLI.identity(pem: String(contentsOfFile: cli.stateDir + "/previous/roll/chain.pem", encoding: .utf8))
            // A rollback is one atomic exchange: the two versions are both there, swapped or not.
            #expect(Set([now, previous]) == Set(identities), "run \(run): current \(now), previous \(previous)")
            if now != current { swapped += 1 }
            current = now
        }
        print("CrashDuringStoreWritesTests: \(swapped) of \(Self.iterations) killed rollbacks had swapped (window \(window) µs)")
    }

    @Test func killedReloadsLeaveEveryCertificateOldOrNew() async throws {
        var spec = ProxyConfigSpec(server: ["workers": "1", "access_log": "\"off\""], sites: Self.sites(round: 0))
        let first = try await ProxyUnderTest.start(spec)
        let directory = first.directory
        let config = first.configPath
        let cli = CertsCLI(configPath: config)
        var proxy: ProxyUnderTest? = first
        defer { proxy?.kill() }
        // One whole reload first, timed from SIGHUP to the new ready file: kills land between 0.4 and 2.4 times that.
        spec.sites = Self.sites(round: 1000)
        try first.writeConfig(spec)
        let started = ContinuousClock.now
        first.sendSignal(SIGHUP)
        try await first.waitForGeneration(2)
        let window = UInt32(min(400_000, Self.microseconds(ContinuousClock.now - started) * 6 / 5))
        var before = try await Self.domainsByName(cli)
        #expect(before["a.test"] == ["a.test", "r1000.a.test"] && before["b.test"] == ["b.test", "r1000.b.test"], "\(before)")
        var regenerated = 0
        for run in 1...Self.iterations {
            // A reload that regenerates both sites' certificates for new domain lists.
            spec.sites = Self.sites(round: run)
            try proxy!.writeConfig(spec)
            proxy!.sendSignal(SIGHUP)
            usleep(UInt32.random(in: (window / 3)...(2 * window)))
            proxy!.kill()
            _ = try? await proxy!.process.waitForExit(within: 10)
            proxy!.keepsDirectory = true
            let after = try await Self.domainsByName(cli)
            let expected = Dictionary(uniqueKeysWithValues: Self.sites(round: run).map { ($0.hosts[0], Set($0.hosts)) })
            if after["a.test"] == expected["a.test"] { regenerated += 1 }
            for (name, domains) in after {
                #expect(domains == before[name] || domains == expected[name], "run \(run): \(name) holds \(domains)")
            }
            #expect(Set(after.keys) == ["a.test", "b.test"], "run \(run): \(after.keys)")
            // The store loads for the proxy too: it starts again on the same state directory (and
            // finishes the interrupted regeneration before it reports ready).
            proxy = try await ProxyUnderTest.restart(in: directory, configPath: config, listeners: spec.listeners.count)
            before = try await Self.domainsByName(cli)
            #expect(before == expected, "run \(run): after the restart")
        }
        print("CrashDuringStoreWritesTests: \(regenerated) of \(Self.iterations) killed reloads had saved the new version of a.test (window \(window) µs)")
    }

    static func microseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds) * 1_000_000 + Int(duration.components.attoseconds / 1_000_000_000_000)
    }

    static func sites(round: Int) -> [SiteSpec] {
        [SiteSpec(hosts: ["a.test", "r\(round).a.test"], respond: "ok\n"), SiteSpec(hosts: ["b.test", "r\(round).b.test"], respond: "ok\n")]
    }

    /// `certs list --json`: every certificate must read whole (valid, or `name-mismatch` while the old
    /// version stands beside the new config); name → domains.
    static func domainsByName(_ cli: CertsCLI, file: StaticString = #filePath, line: UInt = #line) async throws -> [String: Set<String>] {
        var result: [String: Set<String>] = [:]
        for row in try await cli.list(file: file, line: line) {
            let name = row["name"] as? String ?? "?"
            #expect(["valid", "name-mismatch"].contains(row["status"] as? String ?? ""), "\(name): \(row)")
            result[name] = Set(row["domains"] as? [String] ?? [])
        }
        return result
    }
}
