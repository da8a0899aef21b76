import PortcullisConfig
import PortcullisCore
import PortcullisTLS

extension ProxyServer {
    /// SIGHUP: validate and build the new config completely, then swap certificates and routes in
    /// one step. Any failure is logged and the running state stays as it was.
    func reload() {
        let next = self.generation + 1
        let config: ProxyConfig
        let built: RuntimeState
        do {
            config = try ConfigLoader.load(path: self.configPath, options: Self.loaderOptions)
            built = try RuntimeState.build(
                config: config, registry: self.registry, generation: next, workers: self.workers.count,
                cache: self.state.contextCache)
        } catch {
            self.logger.error("reload failed; keeping the running configuration", metadata: ["reason": "\(error)"])
            return
        }
        if config.listeners != self.state.config.listeners {
            self.logger.warning("listener changes take effect after a restart; other changes are applied")
        }
        TicketKeyRing.shared.setRotationInterval(config.tls.ticketKeyRotation)
        if config.server.limits.maxConnections != self.state.config.server.limits.maxConnections {
            FileLimit.raise(maxConnections: config.server.limits.maxConnections, logger: self.logger)
        }
        self.certificates.swap(built.certificates)
        built.contextCache.commit(generation: next)
        self.routes.swap(built.routes)
        // Workers apply new limits lazily; tell each now, so one paused at the old connection cap resumes.
        for worker in self.workers { worker.thread.base.schedule { worker.http.settingsChanged() } }
        self.challenges.setDirectory(config.server.stateDir + "/acme-challenges")
        self.state = built
        self.generation = next
        self.readyFile?.write(generation: next, listeners: self.readyEntries)
        self.logger.info("configuration reloaded", metadata: ["generation": "\(next)"])
        self.updateACME()
    }
}

extension ProxyServer {
    /// Config loading that knows this build's policy names, so an unknown one is a located error.
    static var loaderOptions: ConfigLoader.Options {
        ConfigLoader.Options(knownPolicies: Set(PolicyCatalogue.names))
    }
}
