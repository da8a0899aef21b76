import Foundation
import Testing
import TestSupport

/// The `certs` command line without a running proxy: refusals are one sentence with exit 1, list
/// JSON keys, export without the private key, removal refused while in use, rollback.
@Suite struct CertsCommandTests {
    @Test func removeIsRefusedWhileInUseUnlessForced() async throws {
        let cli = try CertsCLI.scratch(sites: [("used.test", "used")])
        defer { cli.remove() }
        #expect(try await cli.run(["selfsign", "--name", "used", "--domain", "used.test"]).exitCode == 0)
        let refused = try await cli.run(["remove", "used"])
        #expect(refused.exitCode == 1)
        #expect(refused.stderr == "portcullis: certificate \"used\" is used by site:used.test; change the configuration first or pass --force\n")
        #expect(FileManager.default.fileExists(atPath: cli.stateDir + "/certs/used/chain.pem"))
        #expect(try await cli.run(["remove", "used", "--force"]).exitCode == 0)
        #expect(!FileManager.default.fileExists(atPath: cli.stateDir + "/certs/used"))
        #expect(try await cli.run(["rollback", "used"]).exitCode == 0)
        #expect(FileManager.default.fileExists(atPath: cli.stateDir + "/certs/used/chain.pem"))
    }

    @Test func listExportAndKeyMode() async throws {
        let cli = try CertsCLI.scratch(sites: [("shop.test", "shop")])
        defer { cli.remove() }
        #expect(try await cli.run(["selfsign", "--name", "shop", "--domain", "shop.test", "--key-type", "rsa2048"]).exitCode == 0)
        let rows = try await cli.list()
        #expect(rows.count == 1)
        #expect(Set(rows[0].keys) == [
            "name", "domains", "source", "subject_cn", "issuer", "key_type", "not_before", "not_after", "days_left",
            "status", "deployed",
        ])
        #expect(rows[0]["deployed"] as? [String] == ["site:shop.test"])
        #expect(rows[0]["key_type"] as? String == "rsa2048")
        let table = try await cli.run(["list"])
        #expect(table.stdout.hasPrefix("NAME"))
        #expect(table.stdout.contains("RSA 2048"))
        let export = try await cli.run(["export", "shop"])
        #expect(export.exitCode == 0)
        #expect(export.stdout.hasPrefix("-----BEGIN CERTIFICATE-----"))
        #expect(!export.stdout.contains("PRIVATE KEY"))
        let noKeyFlag = try await cli.run(["export", "shop", "--format", "pfx", "--out", cli.stateDir + "/x.pfx"])
        #expect(noKeyFlag.exitCode == 1)
        let attributes = try FileManager.default.attributesOfItem(atPath: cli.stateDir + "/certs/shop/key.pem")
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    }

    @Test func refusedImportIsOneSentenceAndChangesNothing() async throws {
        let cli = try CertsCLI.scratch(sites: [("shop.test", "shop")])
        defer { cli.remove() }
        #expect(try await cli.run(["selfsign", "--name", "a", "--domain", "a.test"]).exitCode == 0)
        #expect(try await cli.run(["selfsign", "--name", "b", "--domain", "b.test"]).exitCode == 0)
        let before = try String(contentsOfFile: cli.stateDir + "/certs/a/chain.pem", encoding: .utf8)
        let mismatch = try await cli.run([
            "import", "--name", "a", "--cert", cli.stateDir + "/certs/a/chain.pem", "--key", cli.stateDir + "/certs/b/key.pem",
        ])
        #expect(mismatch.exitCode == 1)
        #expect(mismatch.stderr == "portcullis: the private key does not match the certificate\n")
        #expect(try String(contentsOfFile: cli.stateDir + "/certs/a/chain.pem", encoding: .utf8) == before)
    }
}
