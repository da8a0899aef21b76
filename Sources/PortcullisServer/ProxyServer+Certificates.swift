import PortcullisCertificates
import PortcullisTLS

extension ProxyServer {
    /// Rebuilds the certificate snapshot from the running configuration and the store, and swaps it
    /// in; on failure logs why and keeps the current snapshot. Only sites whose certificates or policy
    /// changed get new contexts (`SiteContextCache`). Call on the control thread (use
    /// `control.schedule` from elsewhere). Used by the store watcher and the ACME client.
    public func reloadCertificates(reason: String) {
        let next = self.generation + 1
        do {
            let store = CertificateStore(layout: StoreLayout(stateDir: self.state.config.server.stateDir))
            let cache = self.state.contextCache
            let snapshot = try SnapshotBuilder.build(
                config: self.state.config, store: store, registry: self.registry, generation: next, cache: cache)
            self.certificates.swap(snapshot)
            cache.commit(generation: next)
            self.generation = next
            self.readyFile?.write(generation: next, listeners: self.readyEntries)
            self.logger.info("certificates reloaded", metadata: ["reason": "\(reason)", "generation": "\(next)"])
        } catch {
            self.logger.error("certificate reload failed; keeping the certificates in service", metadata: ["reason": "\(error)"])
        }
    }
}
