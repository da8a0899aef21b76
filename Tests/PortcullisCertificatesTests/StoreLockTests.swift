import Foundation
import PortcullisCertificates
import Testing

/// Concurrent writers of one store (the ACME thread, generated certificates on the control thread,
/// `portcullis certs` in another process) take the store lock, so none removes another's staging
/// folder while it is being filled.
@Suite struct StoreLockTests {
    @Test func concurrentSavesOfOneNameAllSucceed() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("store-lock-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = CertificateStore(layout: StoreLayout(stateDir: dir))
        let versions = try (0..<2).map { _ in try SelfSignedGenerator.generate(domains: ["lock.test"]) }
        let failures = FailureList()
        let group = DispatchGroup()
        for writer in 0..<4 {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                let version = versions[writer % 2]
                let metadata = CertificateMetadata(source: .user, domains: ["lock.test"], created: "2026-01-01T00:00:00Z")
                for _ in 0..<25 {
                    do {
                        try store.save(StoredCertificate(name: "lock", chainPEM: version.chainPEM, keyPEM: version.keyPEM, metadata: metadata))
                    } catch {
                        failures.add("\(error)")
                    }
                }
            }
        }
        #expect(group.wait(timeout: .now() + 60) == .success)
        #expect(failures.all.isEmpty, "concurrent saves failed: \(failures.all.prefix(3))")
        let saved = try #require(try store.loadFromDisk(name: "lock"))
        #expect(versions.map(\.chainPEM).contains(saved.chainPEM))
        #expect(FileManager.default.fileExists(atPath: dir + "/store.lock"))
    }
}

/// Errors collected from several threads.
final class FailureList: @unchecked Sendable {  // guarded by `lock`
    private let lock = NSLock()
    private var items: [String] = []

    func add(_ item: String) { self.lock.withLock { self.items.append(item) } }

    var all: [String] { self.lock.withLock { self.items } }
}
