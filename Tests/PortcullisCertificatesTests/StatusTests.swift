import Foundation
import PortcullisCertificates
import PortcullisConfig
import Testing

/// `certs list --json` rows: the exact keys and every status the store can compute.
@Suite struct StatusTests {
    let pki: PKI
    let temporary = TemporaryStore()

    init() throws {
        self.pki = try PKI()
        try self.pki.leaf("shop", sans: ["shop.test", "*.shop.test"], days: 30)
        _ = try CertificateImporter.importCertificate(
            CertificateImportRequest(
                name: "shop", source: .pem(certificate: self.pki.path("shop.crt"), chain: self.pki.path("int.crt"),
                    caBundle: self.pki.path("root.crt"), key: self.pki.path("shop.key"))),
            into: self.temporary.store)
        _ = try CertificateImporter.importCertificate(
            CertificateImportRequest(
                name: "partial", source: .pem(certificate: self.pki.path("shop.crt"), chain: nil,
                    caBundle: self.pki.path("root.crt"), key: self.pki.path("shop.key"))),
            into: self.temporary.store)
    }

    func row(_ name: String, hosts: [String] = ["shop.test"], daysFromNow: Double = 0) throws -> CertificateStatusRow {
        let config = self.temporary.config(sites: [(name, hosts)])
        let (rows, errors) = CertificateStatusTable.rows(
            store: self.temporary.store, config: config, now: Date().addingTimeInterval(daysFromNow * 86_400))
        #expect(errors.isEmpty)
        return try #require(rows.first { $0.name == name })
    }

    @Test func jsonHasExactlyTheDocumentedKeys() throws {
        let json = try CertificateStatusTable.json([try self.row("shop")])
        let objects = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        #expect(Set(objects[0].keys) == [
            "name", "domains", "source", "subject_cn", "issuer", "key_type", "not_before", "not_after", "days_left",
            "status", "deployed",
        ])
        #expect(objects[0]["deployed"] as? [String] == ["site:shop.test"])
        #expect(objects[0]["issuer"] as? String == "CN=Test Intermediate")
        #expect(objects[0]["key_type"] as? String == "ec256")
        #expect((objects[0]["not_after"] as? String)?.hasSuffix("Z") == true)
    }

    @Test func statuses() throws {
        #expect(try self.row("shop").status == "valid")
        #expect(try self.row("shop", daysFromNow: 20).status == "expiring")
        #expect(try self.row("shop", daysFromNow: 31).status == "expired")
        #expect(try self.row("shop", daysFromNow: -2).status == "not-yet-valid")
        #expect(try self.row("shop", hosts: ["shop.test", "other.test"]).status == "name-mismatch")
        #expect(try self.row("partial").status == "chain-incomplete")
        #expect(try self.row("shop", daysFromNow: 20).daysLeft == 9)
    }

    @Test func unusedCertificateIsNotDeployedAndTableIsAligned() throws {
        let (rows, _) = CertificateStatusTable.rows(store: self.temporary.store, config: self.temporary.config(sites: [("shop", ["shop.test"])]))
        #expect(rows.map(\.name) == ["partial", "shop"])
        #expect(rows[0].deployed.isEmpty)
        let lines = CertificateStatusTable.text(rows).split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("NAME"))
        let statusColumn = lines[0].range(of: "STATUS")!.lowerBound.utf16Offset(in: lines[0])
        #expect(lines[1].dropFirst(statusColumn).hasPrefix("chain-incomplete"))
    }

    @Test(arguments: [
        (["a.test"], "a.test", true), (["*.a.test"], "x.a.test", true), (["*.a.test"], "x.y.a.test", false),
        (["*.a.test"], "a.test", false), (["*.a.test"], "*.a.test", true), (["x.a.test"], "*.a.test", false),
        (["A.Test"], "a.test", true),
    ])
    func hostCoverage(names: [String], host: String, covered: Bool) {
        #expect(HostCoverage.covers(names, host: host) == covered)
    }

    @Test func validateReportsCoverageExpiryAndWildcards() throws {
        let config = self.temporary.config(sites: [("shop", ["shop.test", "missing.test"])], warningDays: 60)
        let messages = CertificateConfigCheck.findings(config: config, store: self.temporary.store).map(\.description)
        #expect(messages.count == 3)
        #expect(messages.contains { $0.contains("does not cover missing.test") })
        #expect(messages.contains { $0.contains("expires in") })
        #expect(messages.contains { $0.contains("wildcard") })
        #expect(messages.allSatisfy { $0.hasPrefix("proxy.conf:10: [[site]].certificate: warning: ") })
    }
}
