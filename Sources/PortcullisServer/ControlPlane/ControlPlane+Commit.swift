import Foundation
import PortcullisCertificates
import PortcullisConfig
import PortcullisCore
import PortcullisHTTP
import PortcullisTLS

/// The one commit path. Publishing is one step: the new `RouteTable` carries the routes, the
/// data-plane settings and the certificate snapshot, and replaces the old one with a single pointer
/// swap in `SharedValue`. A worker (and each handshake, through `DataPlane`) reads either the old
/// object or the new one, so it can never see new certificates with old routes or the reverse.
extension ControlPlane {
    /// Re-reads `proxy.conf` and commits it; on any error nothing changes and the diagnostics say why.
    @discardableResult
    public func reload(trigger: CommitTrigger) -> CommitOutcome {
        let config: ProxyConfig
        do {
            config = try ConfigLoader.load(path: self.configPath, options: Self.loaderOptions)
        } catch {
            return self.failed(trigger, error)
        }
        return self.commit(config: config, changed: nil, trigger: trigger)
    }

    /// Rebuilds the configuration in service against the store as it is now (every certificate is
    /// read again) and commits it: what the API calls after a store change.
    @discardableResult
    public func commit(trigger: CommitTrigger) -> CommitOutcome {
        self.commit(config: self.config, changed: nil, trigger: trigger)
    }

    /// Builds `config` (reading from the store only the certificates in `changed`, all when nil),
    /// saves the generated certificates it needs, and publishes it. A certificate whose files are
    /// damaged keeps its last good version (quarantined); any other failure changes nothing.
    @discardableResult
    func commit(config: ProxyConfig, changed: Set<String>?, trigger: CommitTrigger) -> CommitOutcome {
        let config = self.withProvisionedSites(config)
        let next = self.generation + 1
        let rejected = RejectedCertificates()
        let fallback = CertificateFallback(servedBy: self.contextCache, suspects: nil) { name, reason in
            rejected.add(name, reason)
        }
        let store = CertificateStore(layout: StoreLayout(stateDir: config.server.stateDir), fallback: fallback)
        let reread = changed.map { $0.union(self.quarantined.keys) }
        let before = self.servedVersions()
        let built: ServingBuild
        do {
            built = try ServingBuild.build(
                config: config,
                inputs: ServingBuild.Inputs(
                    store: store, registry: self.registry, generation: next, workers: self.workerCount,
                    cache: self.contextCache, changed: reread, accessLogs: self.accessLogs, dryRun: false))
            try built.prepared.saveGenerated()
        } catch {
            return self.failed(trigger, error)
        }
        self.publish(built, generation: next, trigger: trigger)
        self.updateQuarantine(rejected.reasons, reread: reread)
        self.recordSwaps(before: before)
        return .committed(generation: next)
    }

    /// Swaps `built` in, then tells the services that follow the configuration.
    private func publish(_ built: ServingBuild, generation next: Int, trigger: CommitTrigger) {
        let previous = self.config
        if built.config.listeners != previous.listeners {
            self.logger.warning("listener changes take effect after a restart; other changes are applied")
        }
        TicketKeyRing.shared.setRotationInterval(built.config.tls.ticketKeyRotation)
        if built.config.server.limits.maxConnections != previous.server.limits.maxConnections {
            FileLimit.raise(maxConnections: built.config.server.limits.maxConnections, logger: self.logger)
        }
        self.serving.swap(built.routes)
        self.servedNamesMemo = nil
        // Workers apply new limits lazily; tell each now, so one paused at the old connection cap resumes.
        for worker in self.workers { worker.thread.base.schedule { worker.http.settingsChanged() } }
        self.contextCache.commit(generation: next)
        self.challenges.setDirectory(StoreLayout(stateDir: built.config.server.stateDir).challengesDirectory)
        self.config = built.config
        self.generation = next
        self.lastCommitSuccess = Date().timeIntervalSince1970
        self.count(trigger, success: true)
        self.record(.reload, name: trigger.rawValue, message: "generation \(next) in service")
        self.logger.info("configuration committed", metadata: ["trigger": "\(trigger.rawValue)", "generation": "\(next)"])
        for hook in self.onCommitted { hook(next) }
        if built.config != previous {
            self.acme?.update(config: built.config)
            self.watcher?.rewatch()
        }
    }

    /// Logs, counts and records a failed commit; returns its diagnostics.
    func failed(_ trigger: CommitTrigger, _ error: any Error) -> CommitOutcome {
        let diagnostics = Self.diagnostics(error)
        self.count(trigger, success: false)
        self.record(.failure, name: trigger.rawValue, message: diagnostics.joined(separator: "; "))
        self.logger.error(
            "reload failed; keeping the running configuration",
            metadata: ["trigger": "\(trigger.rawValue)", "reason": "\(diagnostics.joined(separator: "; "))"])
        return .failed(diagnostics: diagnostics)
    }

    /// Every problem in `error` as `FILE:LINE: KEY: message` lines.
    static func diagnostics(_ error: any Error) -> [String] {
        if let errors = error as? ConfigErrors { return errors.errors.map(\.description) }
        if let error = error as? SnapshotBuildError { return [error.diagnostic] }
        return "\(error)".split(separator: "\n").map(String.init)
    }

    /// Keeps the quarantine list: names rejected now join it (logged once), names read again and
    /// accepted leave it.
    func updateQuarantine(_ rejected: [String: String], reread: Set<String>?) {
        for (name, reason) in rejected where self.quarantined[name] != reason {
            self.logger.warning(
                "ignoring invalid certificate in the store; the last good one stays in service",
                metadata: ["certificate": "\(name)", "reason": "\(reason)"])
            self.record(.failure, name: name, message: "quarantined: \(reason)")
        }
        for name in self.quarantined.keys where rejected[name] == nil && (reread?.contains(name) ?? true) {
            self.quarantined[name] = nil
        }
        self.quarantined.merge(rejected) { _, new in new }
    }

    /// The chain each served certificate name (of `only`, default all) had before a commit.
    func servedVersions(only: Set<String>? = nil) -> [String: String] {
        var versions: [String: String] = [:]
        for name in only?.intersection(self.servedNames()) ?? self.servedNames() {
            versions[name] = self.contextCache.servedCertificate(name: name)?.chainPEM
        }
        return versions
    }

    /// Records a `swap` event for each served certificate whose chain changed in the last commit.
    func recordSwaps(before: [String: String], only: Set<String>? = nil) {
        for name in (only?.intersection(self.servedNames()) ?? self.servedNames()).sorted() {
            guard let now = self.contextCache.servedCertificate(name: name)?.chainPEM else { continue }
            if let old = before[name], old == now { continue }
            self.record(.swap, name: name, message: "now serving the version in the store")
        }
    }

    /// Every store name the configuration in service serves.
    func servedNames() -> Set<String> {
        if let memo = self.servedNamesMemo { return memo }
        var names = Set<String>()
        for site in self.config.sites {
            names.insert(site.certificateName)
            names.formUnion(site.additionalCertificates)
            for type in site.keyTypes where type != "ec256" && site.certificate == "self-signed" {
                names.insert(site.certificateName + "." + type)
            }
        }
        for listener in self.config.listeners where listener.tls {
            if let name = listener.defaultCertificate { names.insert(name) }
        }
        self.servedNamesMemo = names
        return names
    }
}

/// Certificates the fallback store rejected during one build, with the reason.
final class RejectedCertificates: @unchecked Sendable {  // filled and read on the control thread only
    private(set) var reasons: [String: String] = [:]

    /// Notes one rejection.
    func add(_ name: String, _ reason: String) { self.reasons[name] = reason }
}
