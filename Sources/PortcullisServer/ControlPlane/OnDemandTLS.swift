import Foundation
import Logging
import PortcullisACME
import PortcullisCertificates
import PortcullisConfig
import PortcullisCore
import PortcullisTLS

/// The control-plane half of on-demand TLS. A worker's ClientHello callback hands over a new name
/// (`OnDemandNames`); here it is checked against `[acme] ask` (`GET ask?domain=NAME`, 2xx allows;
/// refusals are remembered for `refusalBackoff`), bounded by `on_demand_max_pending`, and allowed
/// names get a site from `[[site_template]]` through the commit path, which the ACME client orders.
/// The parked handshakes resume when the issued certificate is in service (`installed`), or get the
/// default certificate when the order fails (the name is then refused for `failureBackoff`).
final class OnDemandTLS {
    static let refusalBackoff = 60.0
    static let failureBackoff = 300.0
    /// Names given a site on demand at most (until restart).
    static let maxNames = 10_000
    private unowned let plane: ControlPlane
    /// Names with a site (ordering or issued), in the order they were allowed.
    private(set) var names: [String] = []
    private var ordering: Set<String> = []
    private var asking: Set<String> = []
    private var timer: PortcullisCore.Timer?
    private let logger = Logger(label: "portcullis.on-demand")

    init(plane: ControlPlane) { self.plane = plane }

    func start() {
        let listeners = self.plane.config.listeners.enumerated().filter { $0.element.onDemand }.map(\.offset)
        guard !listeners.isEmpty else { return }
        OnDemandNames.shared.configure(listeners: listeners, timeout: self.plane.config.acme?.onDemandTimeout ?? 10)
        let reference = ControlPlaneReference(self.plane)
        OnDemandNames.shared.setRequester { name in reference.base.schedule { reference.onDemandRequested(name) } }
        self.timer = PortcullisCore.Timer(base: self.plane.base, interval: 1, repeats: true) { [unowned self] in
            self.checkFailures()
        }
    }

    func stop() {
        OnDemandNames.shared.setRequester(nil)
        self.timer = nil
    }

    /// A handshake met `name` and no site serves it.
    func requested(_ name: String) {
        guard let acme = self.plane.config.acme, !acme.ask.isEmpty, self.plane.config.siteTemplate != nil,
            HostNameSyntax.problem(with: name, allowWildcard: false) == nil
        else { return self.refuse(name, "not a name on-demand TLS can order", backoff: Self.refusalBackoff) }
        if self.names.contains(name) { return self.installedIfServed(name) }
        guard self.names.count < Self.maxNames else {
            return self.refuse(
                name, "\(Self.maxNames) on-demand names already have sites", backoff: Self.refusalBackoff)
        }
        guard self.asking.count + self.ordering.count < acme.onDemandMaxPending else {
            return self.refuse(name, "on_demand_max_pending orders already in flight", backoff: 10)
        }
        guard let url = URLComponents(string: acme.ask), let host = url.host else {
            return self.refuse(name, "bad ask URL", backoff: 60)
        }
        var target = url.percentEncodedPath.isEmpty ? "/" : url.percentEncodedPath
        let query = (url.percentEncodedQuery.map { $0 + "&" } ?? "") + "domain=" + name
        target += "?" + query
        self.asking.insert(name)
        HTTPStatusProbe.get(base: self.plane.base, host: host, port: url.port ?? 80, target: target, timeout: 5) {
            [unowned self] status in
            self.asking.remove(name)
            guard let status, (200..<300).contains(status) else {
                return self.refuse(
                    name, "ask answered \(status.map(String.init) ?? "nothing")", backoff: Self.refusalBackoff)
            }
            self.allow(name)
        }
    }

    /// The ACME client installed `name`'s certificate and the commit put it in service.
    func installed(_ name: String) {
        guard self.ordering.remove(name) != nil else { return }
        self.logger.info("on-demand certificate in service", metadata: ["domain": "\(name)"])
        OnDemandNames.shared.finish(name, refusedFor: nil)
    }

    private func allow(_ name: String) {
        self.logger.info("on-demand name allowed by ask; ordering", metadata: ["domain": "\(name)"])
        self.names.append(name)
        self.ordering.insert(name)
        self.plane.record(.acme, name: name, message: "on-demand: allowed by ask, ordering a certificate")
        self.plane.commit(trigger: .onDemand)
        self.installedIfServed(name)
    }

    /// A name whose real certificate is already in the store (ordered before a restart) needs no order.
    private func installedIfServed(_ name: String) {
        guard let stored = try? self.plane.store.load(name: name), stored.metadata.source == .acme,
            !stored.metadata.isPending
        else { return }
        self.ordering.insert(name)
        self.installed(name)
    }

    private func refuse(_ name: String, _ reason: String, backoff: Double) {
        self.logger.notice(
            "on-demand name refused; serving the default certificate",
            metadata: ["domain": "\(name)", "reason": "\(reason)"])
        OnDemandNames.shared.finish(name, refusedFor: backoff)
    }

    /// Orders that failed: drop the site and refuse the name for a while.
    private func checkFailures() {
        let layout = ACMELayout(stateDir: self.plane.config.server.stateDir)
        for name in self.ordering {
            guard let order = OrderStateFile.load(layout, name: name), order.phase == .failed else { continue }
            self.ordering.remove(name)
            self.names.removeAll { $0 == name }
            self.plane.commit(trigger: .onDemand)
            self.refuse(name, "the order failed: \(order.problem ?? "?")", backoff: Self.failureBackoff)
        }
    }
}
