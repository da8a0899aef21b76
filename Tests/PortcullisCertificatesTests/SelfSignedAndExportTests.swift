import Foundation
import PortcullisCertificates
import Testing

/// Self-signed certificates of every key type, export without the key, PFX export round trip,
/// removal and the expiry state machine.
@Suite struct SelfSignedAndExportTests {
    let temporary = TemporaryStore()

    @Test(arguments: KeyType.allCases)
    func selfSignedOfEachKeyType(keyType: KeyType) throws {
        let (chain, key) = try SelfSignedGenerator.generate(domains: ["ss.test", "*.ss.test"], keyType: keyType, days: 30)
        let metadata = CertificateMetadata(source: .selfSigned, domains: ["ss.test"], created: "2026-11-22T00:00:00Z")
        try self.temporary.store.save(StoredCertificate(name: "ss", chainPEM: chain, keyPEM: key, metadata: metadata))
        let row = try CertificateStatusTable.row(try #require(try self.temporary.store.load(name: "ss")), config: nil, now: Date())
        #expect(row.keyType == keyType.rawValue)
        #expect(row.source == "self-signed")
        #expect(row.domains == ["ss.test", "*.ss.test"])
        #expect(row.status == "valid")
    }

    @Test func exportHasNoPrivateKeyAndPFXRoundTrips() throws {
        let (chain, key) = try SelfSignedGenerator.generate(domains: ["e.test"])
        let metadata = CertificateMetadata(source: .selfSigned, domains: ["e.test"], created: "2026-11-22T00:00:00Z")
        try self.temporary.store.save(StoredCertificate(name: "e", chainPEM: chain, keyPEM: key, metadata: metadata))
        let pem = try CertificateExporter.chainPEM(store: self.temporary.store, name: "e")
        #expect(pem.contains("BEGIN CERTIFICATE"))
        #expect(!pem.contains("PRIVATE KEY"))
        let pfx = try CertificateExporter.pkcs12(store: self.temporary.store, name: "e", password: "pw")
        let folder = self.temporary.stateDir + "-pfx"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data(pfx).write(to: URL(fileURLWithPath: folder + "/e.pfx"))
        try "pw\n".write(toFile: folder + "/pw", atomically: true, encoding: .utf8)
        let back = try CertificateImporter.prepare(
            CertificateImportRequest(name: "e2", source: .pkcs12(path: folder + "/e.pfx", passwordFile: folder + "/pw")))
        #expect(back.summary.dnsNames == ["e.test"])
    }

    @Test func removeKeepsAPreviousVersion() throws {
        let (chain, key) = try SelfSignedGenerator.generate(domains: ["r.test"])
        let metadata = CertificateMetadata(source: .selfSigned, domains: ["r.test"], created: "2026-11-22T00:00:00Z")
        try self.temporary.store.save(StoredCertificate(name: "r", chainPEM: chain, keyPEM: key, metadata: metadata))
        try self.temporary.store.remove(name: "r")
        #expect(self.temporary.store.names().isEmpty)
        try self.temporary.store.rollback(name: "r")
        #expect(self.temporary.store.names() == ["r"])
    }

    @Test func expiryStateMachineWarnsOnceADayAndRetriesFailures() {
        var machine = ExpiryMonitorStateMachine()
        let fact = ExpiryFact(name: "a", domains: ["a.test"], daysLeft: 3, notAfter: Date(), status: "expiring")
        let start = Date()
        let first = machine.check([fact], webhook: true, command: false, now: start)
        #expect(first.map(\.channel) == [.log, .webhook])
        machine.completed(first[1], success: false, now: start)
        let hourLater = machine.check([fact], webhook: true, command: false, now: start.addingTimeInterval(3600))
        #expect(hourLater.map(\.channel) == [.webhook], "the failed webhook is retried, the log line is not repeated")
        machine.completed(hourLater[0], success: true, now: start.addingTimeInterval(3600))
        #expect(machine.check([fact], webhook: true, command: false, now: start.addingTimeInterval(7200)).isEmpty)
        let nextDay = machine.check([fact], webhook: true, command: false, now: start.addingTimeInterval(86_400 + 3600))
        #expect(nextDay.map(\.channel) == [.log, .webhook])
        #expect(String(decoding: fact.jsonBody(), as: UTF8.self).contains("\"days_left\":3"))
    }
}
