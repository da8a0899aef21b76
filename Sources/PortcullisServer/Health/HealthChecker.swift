import Logging
import PortcullisConfig
import PortcullisCore
import PortcullisHTTP

/// Active health checks (`[[site]] health_check`), on the control thread only: one timer per checked
/// upstream, a non-blocking `HTTPProbe` per tick, and a rise/fall state machine per upstream. Each
/// change publishes a new `ActiveHealthTable` for the routes in service; workers only read it.
final class HealthChecker {
    /// One checked upstream of one site.
    final class Target {
        let site: Int
        let upstream: Int
        let key: String
        let address: SocketAddress
        let host: String
        let check: HealthCheckConfig
        var machine: HealthCheckStateMachine
        var timer: PortcullisCore.Timer?
        var inFlight = false
        var active = true
        var lastResult = "not checked yet"

        init(site: Int, upstream: Int, key: String, address: SocketAddress, host: String, check: HealthCheckConfig) {
            self.site = site
            self.upstream = upstream
            self.key = key
            self.address = address
            self.host = host
            self.check = check
            self.machine = HealthCheckStateMachine(rise: check.rise, fall: check.fall)
        }
    }

    private let base: EventBase
    private let published: SharedValue<ActiveHealthTable>
    private let logger: Logger
    private(set) var targets: [Target] = []
    private var generation = 0
    private var shape: [Int] = []

    init(base: EventBase, published: SharedValue<ActiveHealthTable>, logger: Logger) {
        self.base = base
        self.published = published
        self.logger = logger
    }

    /// Follows a committed configuration: targets kept by site host and address keep their state.
    func configure(config: ProxyConfig, routes: RouteTable) {
        var previous: [String: Target] = [:]
        for target in self.targets {
            target.active = false
            target.timer?.cancel()
            previous[target.key] = target
        }
        self.targets = []
        self.generation = routes.generation
        self.shape = routes.sites.map(\.upstreams.count)
        for (siteIndex, site) in config.sites.enumerated() {
            guard let check = site.healthCheck, siteIndex < routes.sites.count else { continue }
            for (index, address) in routes.sites[siteIndex].upstreams.enumerated() {
                let key = "\(site.hosts.first ?? "")|\(address)"
                let target = Target(
                    site: siteIndex, upstream: index, key: key, address: address, host: site.hosts.first ?? "localhost",
                    check: check)
                if let old = previous[key], old.check == check {
                    target.machine = old.machine
                    target.lastResult = old.lastResult
                }
                self.targets.append(target)
                self.schedule(target)
            }
        }
        self.publish()
    }

    /// Stops every timer (draining).
    func stop() {
        for target in self.targets {
            target.active = false
            target.timer?.cancel()
        }
    }

    private func schedule(_ target: Target) {
        target.timer = PortcullisCore.Timer(base: self.base, interval: target.check.interval, repeats: true) {
            [unowned self] in self.probe(target)
        }
        self.probe(target)
    }

    private func probe(_ target: Target) {
        guard target.active, !target.inFlight else { return }
        target.inFlight = true
        HTTPProbe.start(
            base: self.base, address: target.address, host: target.host, path: target.check.path,
            timeout: target.check.timeout
        ) { [weak self] outcome in
            target.inFlight = false
            guard let self, target.active else { return }
            self.record(outcome, for: target)
        }
    }

    private func record(_ outcome: HTTPProbe.Outcome, for target: Target) {
        let passed: Bool
        switch outcome {
        case .status(let code):
            passed = target.check.expect.accepts(code)
            target.lastResult = "HTTP \(code)"
        case .failed(let reason):
            passed = false
            target.lastResult = reason
        }
        switch target.machine.onResult(passed: passed) {
        case .none: return
        case .markDown:
            self.logger.warning(
                "upstream marked down by health check",
                metadata: ["site": "\(target.host)", "upstream": "\(target.address)", "result": "\(target.lastResult)"])
        case .markUp:
            self.logger.notice("upstream back up after health check", metadata: ["site": "\(target.host)", "upstream": "\(target.address)"])
        }
        self.publish()
    }

    private func publish() {
        var down = self.shape.map { Array(repeating: false, count: $0) }
        for target in self.targets where target.machine.state == .down { down[target.site][target.upstream] = true }
        self.published.swap(ActiveHealthTable(generation: self.generation, down: down))
    }

    /// The state of upstream `upstream` of site `site`: `up`, `down`, or `unchecked` (no health_check).
    func state(site: Int, upstream: Int) -> (state: String, lastResult: String?) {
        guard let target = self.targets.first(where: { $0.site == site && $0.upstream == upstream }) else {
            return ("unchecked", nil)
        }
        return (target.machine.state.rawValue, target.lastResult)
    }
}
