import Foundation
import Glibc
import Logging
import PortcullisACME
import PortcullisCertificates
import PortcullisConfig
import PortcullisCore

/// Provisioning on arrival: drives `DomainWatchStateMachine` on the control thread. A 1 s tick
/// re-reads `domains.json` when it changed (the API and `portcullis domains` write it), starts the
/// due DNS lookups (asynchronous, evdns on the control base) and follows the certificates of the
/// provisioned domains. Sites change only through `ControlPlane.commit`.
final class DomainWatch {
    private unowned let plane: ControlPlane
    private var machine: DomainWatchStateMachine
    private var resolver: DNSResolver?
    private var resolverAddress: String?
    private var timer: PortcullisCore.Timer?
    private var fileStamp: timespec?
    private let logger = Logger(label: "portcullis.domains")

    init(plane: ControlPlane) {
        self.plane = plane
        self.machine = DomainWatchStateMachine(interval: plane.config.acme?.watchInterval ?? 60)
    }

    /// Domains whose site is (to be) in service.
    var provisioned: [String] { self.machine.provisioned }
    var domains: [WatchedDomain] { self.machine.domains }
    var store: WatchedDomainStore { WatchedDomainStore(stateDir: self.plane.config.server.stateDir) }

    func start() {
        self.timer = PortcullisCore.Timer(base: self.plane.base, interval: 1, repeats: true) { [unowned self] in
            self.tick()
        }
        self.tick()
    }

    func stop() { self.timer = nil }

    /// One pass: store changes, due lookups, certificate progress.
    func tick() {
        let now = Date()
        self.machine.interval = self.plane.config.acme?.watchInterval ?? 60
        self.reloadIfChanged(now: now)
        self.perform(self.machine.tick(now: now))
        // Deployed domains are the ACME client's to renew; only those still on their way are looked at.
        for domain in self.machine.domains where domain.hasSite && domain.state != WatchedDomain.deployed {
            self.perform(self.machine.certificate(domain.domain, self.progress(of: domain.domain)))
        }
    }

    /// Re-reads the store (after an API change, or when its file changed).
    func reloadIfChanged(now: Date, force: Bool = false) {
        var info = stat()
        let stamp = stat(self.store.path, &info) == 0 ? info.st_mtim : timespec()
        if !force, let last = self.fileStamp, last.tv_sec == stamp.tv_sec, last.tv_nsec == stamp.tv_nsec { return }
        self.fileStamp = stamp
        do {
            self.perform(self.machine.load(try self.store.load(), now: now))
        } catch {
            self.logger.error(
                "reading the watched domains failed; keeping the last list", metadata: ["error": "\(error)"])
        }
    }

    private func perform(_ actions: [DomainWatchStateMachine.Action]) {
        for action in actions {
            switch action {
            case .lookup(let domain, let expect): self.lookup(domain, expect: expect)
            case .commitSites: self.plane.commit(trigger: .dnsWatch)
            case .save: self.save()
            }
        }
    }

    /// Writes the machine's states back, keeping entries the store gained or lost meanwhile.
    private func save() {
        let states = Dictionary(self.machine.domains.map { ($0.domain, $0) }, uniquingKeysWith: { a, _ in a })
        do {
            try self.store.update { stored in
                for index in stored.indices {
                    if let known = states[stored[index].domain], known.expect == stored[index].expect {
                        stored[index] = known
                    }
                }
            }
            var info = stat()
            if stat(self.store.path, &info) == 0 { self.fileStamp = info.st_mtim }
        } catch {
            self.logger.error("saving the watched domains failed", metadata: ["error": "\(error)"])
        }
    }

    /// Points here = a CNAME to `expect`, or the same (non-empty) set of addresses as `expect`.
    private func lookup(_ domain: String, expect: String) {
        guard let resolver = self.currentResolver() else {
            return self.perform(self.machine.lookedUp(domain, .failed("no usable DNS resolver"), now: Date()))
        }
        resolver.cname(domain) { [unowned self] result in
            if case .success(let target) = result, target == expect {
                return self.finish(domain, .pointsHere)
            }
            resolver.addresses(domain) { [unowned self] own in
                resolver.addresses(expect) { [unowned self] theirs in
                    switch (own, theirs) {
                    case (.success(let a), .success(let b)):
                        self.finish(domain, !a.isEmpty && Set(a) == Set(b) ? .pointsHere : .notYet)
                    case (.failure(let error), _), (_, .failure(let error)):
                        self.finish(domain, .failed("\(error)"))
                    }
                }
            }
        }
    }

    private func finish(_ domain: String, _ verdict: DomainWatchStateMachine.Verdict) {
        if verdict == .pointsHere {
            self.logger.info("domain points here; provisioning its site", metadata: ["domain": "\(domain)"])
            self.plane.record(.acme, name: domain, message: "DNS points here; ordering a certificate")
        }
        self.perform(self.machine.lookedUp(domain, verdict, now: Date()))
    }

    /// The resolver for `[acme] resolver` (rebuilt when it changes).
    private func currentResolver() -> DNSResolver? {
        let address = self.plane.config.acme?.resolver ?? ""
        if let resolver = self.resolver, self.resolverAddress == address { return resolver }
        let nameserver = address.isEmpty ? nil : DNSNameserver.parse(address)
        self.resolver = try? DNSResolver(base: self.plane.base, nameserver: nameserver)
        self.resolverAddress = address
        return self.resolver
    }

    /// Issued once the store holds a real ACME certificate for the name; failed while its order is.
    private func progress(of name: String) -> DomainWatchStateMachine.Progress {
        let stateDir = self.plane.config.server.stateDir
        if let stored = try? CertificateStore(layout: StoreLayout(stateDir: stateDir)).load(name: name),
            stored.metadata.source == .acme, !stored.metadata.isPending
        {
            return .issued
        }
        if let order = OrderStateFile.load(ACMELayout(stateDir: stateDir), name: name), order.phase == .failed {
            return .failed(order.problem ?? "the order failed")
        }
        return .pending
    }
}

extension ControlPlane {
    /// `config` with one site per provisioned domain, made from `[[site_template]]`; a name a
    /// `[[site]]` of the file already serves keeps that site.
    func withProvisionedSites(_ config: ProxyConfig) -> ProxyConfig {
        var config = config
        config.sites.removeAll(where: \.provisioned)
        guard let template = config.siteTemplate else { return config }
        var taken = Set(config.sites.flatMap(\.hosts))
        for domain in (self.domainWatch?.provisioned ?? []) + (self.onDemand?.names ?? []) where !taken.contains(domain)
        {
            taken.insert(domain)
            var site = template
            (site.hosts, site.provisioned) = ([domain], true)
            config.sites.append(site)
        }
        return config
    }
}
