import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// SIGKILL at a random moment of `certs import`, 20 times (`PORTCULLIS_CRASH_ITERATIONS`): afterwards the store always loads (`certs
/// list` exits 0) and holds either the old or the new certificate, whole.
@Suite struct CrashDuringImportTests {
    @Test func killedImportsLeaveOldOrNew() async throws {
        let cli = try CertsCLI.scratch(sites: [("crash.test", "crash")])
        defer { cli.remove() }
        let folder = (cli.configPath as NSString).deletingLastPathComponent
        // Two certificates to alternate between, made by the CLI itself and exported as PEM + key files.
        var identities: [String] = []
        for index in 0..<2 {
            try await cli.run(["selfsign", "--name", "v\(index)", "--domain", "crash.test"])
            let dir = cli.stateDir + "/certs/v\(index)"
            try FileManager.default.copyItem(atPath: dir + "/chain.pem", toPath: folder + "/v\(index).pem")
            try FileManager.default.copyItem(atPath: dir + "/key.pem", toPath: folder + "/v\(index).key")
            identities.append(try cli.leafIdentity("v\(index)"))
        }
        let binary = try ProxyUnderTest.binary()
        try await cli.run(["import", "--name", "crash", "--cert", folder + "/v0.pem", "--key", folder + "/v0.key"])
        let iterations = Int(ProcessInfo.processInfo.environment["PORTCULLIS_CRASH_ITERATIONS"] ?? "") ?? 20
        for run in 0..<iterations {
            let version = (run + 1) % 2
            let child = try ChildProcess(binary, [
                "certs", "import", "--name", "crash", "--cert", folder + "/v\(version).pem", "--key", folder + "/v\(version).key",
                "--config", cli.configPath,
            ])
            usleep(UInt32.random(in: 0...40_000))
            child.kill()
            let rows = try await cli.list()
            let crash = try #require(rows.first { $0["name"] as? String == "crash" }, "run \(run)")
            #expect(crash["status"] as? String == "valid", "run \(run)")
            #expect(identities.contains(try cli.leafIdentity("crash")), "run \(run)")
        }
    }
}
