import Foundation
import PortcullisCertificates
import PortcullisCore
import PortcullisHTTP
import PortcullisTLS

/// Certificate swaps at scale: when only store certificates changed, the snapshot in service is
/// patched (the slots serving those names are rebuilt, nothing else is visited) and published with the
/// same routes, through the same swap as every commit. Falls back to the full build whenever a patch
/// does not apply (generated certificates, no snapshot built with the cache yet).
extension ControlPlane {
    /// Commits the store certificates `names` as they are now, configuration unchanged.
    @discardableResult
    func commitChanged(_ names: Set<String>, trigger: CommitTrigger) -> CommitOutcome {
        let reread = names.union(self.quarantined.keys)
        if let outcome = self.patch(reread, trigger: trigger) { return outcome }
        return self.commit(config: self.config, changed: names, trigger: trigger)
    }

    /// The patch commit, or nil when a full build is needed. A failure changes nothing (as `commit`).
    private func patch(_ reread: Set<String>, trigger: CommitTrigger) -> CommitOutcome? {
        guard self.contextCache.canPatch(reread) else { return nil }
        let next = self.generation + 1
        let rejected = RejectedCertificates()
        let fallback = CertificateFallback(servedBy: self.contextCache, suspects: nil) { name, reason in
            rejected.add(name, reason)
        }
        let store = CertificateStore(layout: StoreLayout(stateDir: self.config.server.stateDir), fallback: fallback)
        let before = self.servedVersions(only: reread)
        let routes = self.serving.current()
        let snapshot: CertSnapshot
        do {
            guard
                let patched = try SnapshotBuilder.patch(
                    previous: routes.certificates, config: self.config, store: store, registry: self.registry,
                    generation: next, cache: self.contextCache, changed: reread)
            else { return nil }
            snapshot = patched
        } catch {
            return self.failed(trigger, error)
        }
        self.serving.swap(routes.replacing(certificates: snapshot, generation: next))
        self.contextCache.commit(generation: next)
        self.generation = next
        self.lastCommitSuccess = Date().timeIntervalSince1970
        self.count(trigger, success: true)
        self.record(.reload, name: trigger.rawValue, message: "generation \(next) in service")
        self.logger.info(
            "certificates swapped", metadata: ["trigger": "\(trigger.rawValue)", "generation": "\(next)"])
        for hook in self.onCommitted { hook(next) }
        self.updateQuarantine(rejected.reasons, reread: reread)
        self.recordSwaps(before: before, only: reread)
        return .committed(generation: next)
    }
}
