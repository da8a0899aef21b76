import Synchronization

/// The data plane's counters: one `WorkerMetrics` per worker plus the table of site slots. Site slots
/// are stable across reloads (a site keeps its slot by name, so its counters never go backwards);
/// slot 0 is `_none` (requests that matched no site) and slot 1 is `_overflow` (sites beyond the
/// slots allocated at start).
public final class DataPlaneMetrics: Sendable {
    public let layout: MetricsLayout
    private let state = Mutex(State())

    private struct State {
        var workers: [WorkerMetrics] = []
        var slots: [String: Int] = [:]
        var names: [String] = ["_none", "_overflow"]
    }

    /// Counters for `listeners` listeners and up to `siteSlots` sites (plus the two reserved slots).
    public init(listeners: Int, siteSlots: Int) {
        self.layout = MetricsLayout(listeners: listeners, siteSlots: siteSlots + 2)
    }

    /// A new worker's counters (called once per worker, before it starts).
    func registerWorker() -> WorkerMetrics {
        let metrics = WorkerMetrics(layout: self.layout)
        self.state.withLock { $0.workers.append(metrics) }
        return metrics
    }

    /// The slot of each site of `table`, assigning new slots by name (once per published table per
    /// worker, never per request).
    func slots(for table: RouteTable) -> [Int] {
        self.state.withLock { state in
            table.sites.map { site in
                if let slot = state.slots[site.name] { return slot }
                guard state.names.count < self.layout.siteSlots else { return 1 }
                state.names.append(site.name)
                state.slots[site.name] = state.names.count - 1
                return state.names.count - 1
            }
        }
    }

    /// Sums every worker's cells.
    public func snapshot() -> DataPlaneMetricsSnapshot {
        let (workers, names) = self.state.withLock { ($0.workers, $0.names) }
        var totals = [Int](repeating: 0, count: self.layout.cellCount)
        for worker in workers {
            for index in totals.indices { totals[index] &+= worker.value(index) }
        }
        return DataPlaneMetricsSnapshot(layout: self.layout, totals: totals, siteNames: names)
    }
}

/// Summed counters at one scrape.
public struct DataPlaneMetricsSnapshot: Sendable {
    public let layout: MetricsLayout
    let totals: [Int]
    /// Names of the site slots in use, by slot.
    public let siteNames: [String]

    /// A listener counter.
    public func listener(_ index: Int, _ cell: MetricsLayout.ListenerCell) -> Int { self.totals[self.layout.listener(index, cell)] }

    /// Requests of site slot `slot` by code slot (`MetricsLayout.codeLabels`).
    public func codes(slot: Int) -> [Int] {
        let base = self.layout.site(slot)
        return Array(self.totals[base..<base + MetricsLayout.codeLabels.count])
    }

    /// Duration histogram of site slot `slot`: per-bucket counts (+Inf last) and the sum in seconds.
    public func durations(slot: Int) -> (counts: [Int], sumSeconds: Double) {
        let base = self.layout.site(slot) + MetricsLayout.bucketOffset
        let counts = Array(self.totals[base..<base + MetricsLayout.durationBounds.count + 1])
        return (counts, Double(self.totals[self.layout.site(slot) + MetricsLayout.sumOffset]) / 1_000_000)
    }

    /// Access log lines dropped by every worker (the destination was not accepting writes).
    public var accessLogDropped: Int { self.totals[self.layout.worker(.accessLogDropped)] }

    /// Upstream errors of site slot `slot` of `kind`.
    public func upstreamErrors(slot: Int, _ kind: MetricsLayout.UpstreamError) -> Int {
        self.totals[self.layout.site(slot) + MetricsLayout.upstreamOffset + kind.rawValue]
    }
}
