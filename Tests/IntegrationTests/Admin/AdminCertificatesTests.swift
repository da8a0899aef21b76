import Foundation
import Testing
import TestSupport

/// Certificate routes against the real binary: PEM and PFX imports, refusals that change nothing,
/// served within 100 ms, chain download without keys, rollback and delete.
@Suite(.serialized) struct AdminCertificatesTests {
    static let localhost = SiteSpec.respond(["localhost"], "ok\n")
    static let shop = SiteSpec(hosts: ["shop.test"], certificate: "shop", respond: "shop\n")

    /// PEM body of four fields from files.
    static func pemBody(_ pki: AdminPKI, _ leaf: (certificate: String, key: String), key: String? = nil) throws -> [String: Any] {
        [
            "certificate": try pki.text(leaf.certificate), "chain": try pki.text(pki.intermediatePath),
            "ca_bundle": try pki.text(pki.rootPath), "private_key": try pki.text(key ?? leaf.key),
        ]
    }

    /// Starts with `localhost` only, imports `shop` (201), deploys it with a reload; returns the proxy.
    func proxyServingShop(_ pki: AdminPKI, _ admin: inout AdminClient?) async throws -> (ProxyUnderTest, (certificate: String, key: String)) {
        let proxy = try await AdminProxy.start(sites: [Self.localhost], defaultCertificate: "localhost")
        let client = try AdminClient(proxy)
        admin = client
        let leaf = try await pki.leaf("shop.test")
        let put = try await client.object("PUT", "/api/v1/certificates/shop", json: try Self.pemBody(pki, leaf))
        #expect(put.status == 201)
        #expect(put.body["status"] as? String == "valid")
        var spec = ProxyConfigSpec(server: ["workers": "2"], listeners: [.https(defaultCertificate: "localhost")], sites: [Self.localhost, Self.shop])
        spec.trailer = AdminProxy.section
        try proxy.writeConfig(spec)
        let generation = proxy.ready?.generation ?? 0
        let serial = try await AdminServing.serial(file: leaf.certificate)
        let reload = try await client.object("POST", "/api/v1/reload")
        let reloaded = ContinuousClock.now
        #expect(reload.status == 200)
        #expect(reload.body["generation"] as? Int == generation + 1)
        try await AdminServing.expectServed(
            serial: serial, port: proxy.httpsPort, host: "shop.test", since: reloaded, within: 0.1)
        return (proxy, leaf)
    }

    @Test func pemImportIsServedWithin100msAndListedAsDeployed() async throws {
        let pki = try await AdminPKI.make()
        defer { pki.remove() }
        var client: AdminClient?
        let (proxy, _) = try await self.proxyServingShop(pki, &client)
        defer { proxy.kill() }
        let admin = try #require(client)
        let row = try #require(try await admin.certificates().first { $0["name"] as? String == "shop" })
        #expect(row["status"] as? String == "valid")
        #expect(row["deployed"] as? [String] == ["site:shop.test"])
        #expect((row["fingerprint_sha256"] as? String)?.count == 64)
        // Replacing it: 200, served within 100 ms, and the old version is the rollback target.
        let next = try await pki.leaf("shop.test")
        let nextSerial = try await AdminServing.serial(file: next.certificate)
        let put = try await admin.object("PUT", "/api/v1/certificates/shop", json: try Self.pemBody(pki, next))
        let answered = ContinuousClock.now
        #expect(put.status == 200)
        #expect(put.body["previous"] as? Bool == true)
        try await AdminServing.expectServed(
            serial: nextSerial, port: proxy.httpsPort, host: "shop.test", since: answered, within: 0.1)
        let detail = try await admin.object("GET", "/api/v1/certificates/shop")
        #expect((detail.body["chain_pem"] as? String)?.components(separatedBy: "BEGIN CERTIFICATE").count == 3)
        #expect(admin.bodiesWithPrivateKeys.isEmpty)
    }

    @Test func mismatchedKeyIs422AndTheOldCertificateStays() async throws {
        let pki = try await AdminPKI.make()
        defer { pki.remove() }
        var client: AdminClient?
        let (proxy, leaf) = try await self.proxyServingShop(pki, &client)
        defer { proxy.kill() }
        let admin = try #require(client)
        let before = try await AdminProxy.checksum(proxy.stateDir)
        let next = try await pki.leaf("shop.test")
        let put = try await admin.object("PUT", "/api/v1/certificates/shop", json: try Self.pemBody(pki, next, key: try await pki.strayKey()))
        #expect(put.status == 422)
        #expect(put.body["detail"] as? String == "the private key does not match the certificate")
        #expect(put.body["type"] != nil && put.body["title"] != nil && put.body["status"] as? Int == 422)
        #expect(try await AdminProxy.checksum(proxy.stateDir) == before)
        #expect(try await AdminServing.leafSerial(port: proxy.httpsPort, host: "shop.test") == (try await AdminServing.serial(file: leaf.certificate)))
        #expect(admin.bodiesWithPrivateKeys.isEmpty)
    }

    @Test func pfxWrongPasswordChangesNothingRightPasswordImports() async throws {
        let pki = try await AdminPKI.make()
        defer { pki.remove() }
        var client: AdminClient?
        let (proxy, _) = try await self.proxyServingShop(pki, &client)
        defer { proxy.kill() }
        let admin = try #require(client)
        let next = try await pki.leaf("shop.test")
        let pfx = Data(try await pki.pfx(next, password: "correct horse")).base64EncodedString()
        let before = try await AdminProxy.checksum(proxy.stateDir)
        let nextSerial = try await AdminServing.serial(file: next.certificate)
        let wrong = try await admin.object("PUT", "/api/v1/certificates/shop", json: ["pfx": pfx, "password": "wrong"])
        #expect(wrong.status == 422)
        #expect((wrong.body["detail"] as? String)?.contains("password") == true)
        #expect(try await AdminProxy.checksum(proxy.stateDir) == before)
        let right = try await admin.object("PUT", "/api/v1/certificates/shop", json: ["pfx": pfx, "password": "correct horse"])
        let answered = ContinuousClock.now
        #expect(right.status == 200)
        try await AdminServing.expectServed(
            serial: nextSerial, port: proxy.httpsPort, host: "shop.test", since: answered, within: 0.1)
        #expect(admin.bodiesWithPrivateKeys.isEmpty)
    }

    @Test func chainDownloadRollbackAndDelete() async throws {
        let pki = try await AdminPKI.make()
        defer { pki.remove() }
        var client: AdminClient?
        let (proxy, first) = try await self.proxyServingShop(pki, &client)
        defer { proxy.kill() }
        let admin = try #require(client)
        let chain = try await admin.request("GET", "/api/v1/certificates/shop/chain.pem")
        #expect(chain.status == 200)
        #expect(chain.header("content-type") == "application/x-pem-file")
        #expect(chain.header("content-disposition")?.hasPrefix("attachment") == true)
        #expect(chain.bodyText.contains("BEGIN CERTIFICATE") && !chain.bodyText.contains("PRIVATE KEY"))
        let second = try await pki.leaf("shop.test")
        #expect(try await admin.object("PUT", "/api/v1/certificates/shop", json: try Self.pemBody(pki, second)).status == 200)
        let firstSerial = try await AdminServing.serial(file: first.certificate)
        let rollback = try await admin.object("POST", "/api/v1/certificates/shop/rollback")
        let answered = ContinuousClock.now
        #expect(rollback.status == 200)
        try await AdminServing.expectServed(
            serial: firstSerial, port: proxy.httpsPort, host: "shop.test", since: answered, within: 0.1)
        let inUse = try await admin.object("DELETE", "/api/v1/certificates/shop")
        #expect(inUse.status == 409)
        #expect((inUse.body["detail"] as? String)?.contains("site:shop.test") == true)
        #expect(try await admin.object("GET", "/api/v1/certificates/shop").status == 200)
        // A certificate no site uses goes at once; the forced one too.
        #expect(try await admin.object("PUT", "/api/v1/certificates/spare", json: ["self_signed": ["domains": ["spare.test"]]]).status == 201)
        #expect(try await admin.request("DELETE", "/api/v1/certificates/spare").status == 204)
        #expect(try await admin.object("GET", "/api/v1/certificates/spare").status == 404)
        #expect(try await admin.request("DELETE", "/api/v1/certificates/shop?force=true").status == 204)
        #expect(admin.bodiesWithPrivateKeys.isEmpty)
    }
}
