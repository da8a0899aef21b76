import Foundation
import PortcullisCertificates
import PortcullisConfig

/// A certificate store in a fresh temporary state directory, removed on deinit.
final class TemporaryStore: @unchecked Sendable {  // used from one test at a time
    let stateDir: String
    let store: CertificateStore

    init() {
        self.stateDir = NSTemporaryDirectory() + "pc-store-" + UUID().uuidString
        self.store = CertificateStore(layout: StoreLayout(stateDir: self.stateDir))
    }

    deinit { try? FileManager.default.removeItem(atPath: self.stateDir) }

    /// Every file under the state directory with its contents, for "store unchanged" checks.
    func snapshot() -> [String: Data] {
        var files: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: self.stateDir)
        while let path = enumerator?.nextObject() as? String {
            if let data = FileManager.default.contents(atPath: self.stateDir + "/" + path) { files[path] = data }
        }
        return files
    }

    /// A config whose sites use the given certificate names with the given hosts.
    func config(sites: [(certificate: String, hosts: [String])], warningDays: Int = 14) -> ProxyConfig {
        var tls = TLSSettings()
        tls.expiryWarningDays = warningDays
        return ProxyConfig(
            sourcePath: "proxy.conf", server: ServerSettings(stateDir: self.stateDir), tls: tls,
            listeners: [ListenerConfig(bind: SocketAddressSpec(host: "127.0.0.1", port: 8443), tls: true)],
            sites: sites.enumerated().map { SiteConfig(hosts: $1.hosts, certificate: $1.certificate, respond: "x", line: 10 + $0) })
    }
}
