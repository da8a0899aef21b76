import Foundation
import PortcullisAdmin
import PortcullisCertificates

/// The DNS watch through the admin API: changes go to the store file, then the watch re-reads it
/// at once (a first lookup now, and a commit when a provisioned site goes away).
extension ControlPlaneAdminBackend: DomainsBackend {
    func listDomains() -> [DomainInfo] {
        (self.plane.domainWatch?.domains ?? []).map(Self.info)
    }

    func addDomain(_ domain: String, expect: String) throws -> DomainInfo {
        guard self.plane.config.siteTemplate != nil else {
            throw AdminError(
                .conflict, "no [[site_template]] in the configuration: the DNS watch has no site to deploy")
        }
        guard let watch = self.plane.domainWatch else { throw AdminError(.unavailable, "the DNS watch is not running") }
        let name = domain.lowercased()
        if self.plane.config.sites.contains(where: { !$0.provisioned && $0.hosts.contains(name) }) {
            throw AdminError(.conflict, "\"\(name)\" is already a host of a [[site]] in the configuration")
        }
        let entry: WatchedDomain
        do {
            entry = try watch.store.add(domain: domain, expect: expect)
        } catch let error as DomainWatchError {
            throw Self.adminError(error)
        }
        watch.reloadIfChanged(now: Date(), force: true)
        watch.tick()
        return Self.info(watch.domains.first { $0.domain == entry.domain } ?? entry)
    }

    func removeDomain(_ domain: String) throws {
        guard let watch = self.plane.domainWatch else { throw AdminError(.unavailable, "the DNS watch is not running") }
        do {
            try watch.store.remove(domain: domain)
        } catch let error as DomainWatchError {
            throw Self.adminError(error)
        }
        watch.reloadIfChanged(now: Date(), force: true)
    }

    private static func adminError(_ error: DomainWatchError) -> AdminError {
        switch error {
        case .invalid(let text): return AdminError(.badRequest, text)
        case .conflict(let text): return AdminError(.conflict, text)
        case .notFound(let text): return AdminError(.notFound, text)
        }
    }

    private static func info(_ domain: WatchedDomain) -> DomainInfo {
        DomainInfo(
            domain: domain.domain, expect: domain.expect, state: domain.state, added: domain.added,
            lastChecked: domain.lastChecked, lastError: domain.lastError, pointedAt: domain.pointedAt)
    }
}
