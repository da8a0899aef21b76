import Foundation
import Logging
import PortcullisCertificates
import PortcullisConfig
import Testing

@testable import PortcullisACME

/// Installing an issued certificate checks that the chain's leaf matches the order's key before
/// anything is saved.
@Suite struct InstallTests {
    @Test func mismatchedChainAndKeyAreNotSaved() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("acme-install-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let worker = ACMEWorker(settings: ACMESettings(), stateDir: dir, challenges: nil, logger: Logger(label: "test"))
        let issued = try SelfSignedGenerator.generate(domains: ["a.test"])
        let other = try SelfSignedGenerator.generate(domains: ["a.test"])
        #expect(throws: ACMEError.self) {
            try worker.install(name: "a.test", domains: ["a.test"], chain: issued.chainPEM, key: other.keyPEM)
        }
        let store = CertificateStore(layout: StoreLayout(stateDir: dir))
        #expect(try store.loadFromDisk(name: "a.test") == nil, "a chain whose leaf does not match the key was saved")

        try worker.install(name: "a.test", domains: ["a.test"], chain: issued.chainPEM, key: issued.keyPEM)
        #expect(try store.loadFromDisk(name: "a.test")?.chainPEM == issued.chainPEM)
    }
}
