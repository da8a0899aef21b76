import Foundation
import PortcullisCertificates
import PortcullisConfig
import Testing

/// `certs list` shows `failed` for an ACME certificate whose persisted order failed, and the CA's problem.
@Suite struct ACMEStatusTests {
    let temporary = TemporaryStore()

    /// Stores a generated certificate as source `acme` (issued, not pending) and writes its order state.
    func prepare(phase: String) throws -> ProxyConfig {
        let generated = try SelfSignedGenerator.generate(domains: ["shop.test"])
        let metadata = CertificateMetadata(source: .acme, domains: ["shop.test"], created: "2026-11-22T10:00:00Z")
        try self.temporary.store.save(StoredCertificate(name: "shop", chainPEM: generated.chainPEM, keyPEM: generated.keyPEM, metadata: metadata))
        let orders = self.temporary.stateDir + "/acme/orders"
        try FileManager.default.createDirectory(atPath: orders, withIntermediateDirectories: true)
        let order = "{\"phase\": \"\(phase)\", \"problem\": \"urn:ietf:params:acme:error:rateLimited: too many orders\", \"nextAttempt\": \"2026-11-22T12:00:00Z\"}"
        try order.write(toFile: orders + "/shop.json", atomically: true, encoding: .utf8)
        return self.temporary.config(sites: [("shop", ["shop.test"])])
    }

    @Test func failedOrderShowsFailedWithTheProblem() throws {
        let config = try self.prepare(phase: "failed")
        let (rows, errors) = CertificateStatusTable.rows(store: self.temporary.store, config: config)
        #expect(errors.isEmpty)
        #expect(rows.first { $0.name == "shop" }?.status == "failed")
        let order = try #require(ACMEOrderStatus.load(stateDir: self.temporary.stateDir, name: "shop"))
        #expect(order.failureNote(name: "shop") == "shop: last ACME attempt failed: urn:ietf:params:acme:error:rateLimited: too many orders; next attempt 2026-11-22T12:00:00Z")
    }

    @Test func validOrderKeepsTheCertificateStatus() throws {
        let config = try self.prepare(phase: "valid")
        let (rows, _) = CertificateStatusTable.rows(store: self.temporary.store, config: config)
        #expect(rows.first { $0.name == "shop" }?.status == "valid")
    }
}
