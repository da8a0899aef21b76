import PortcullisCore
import PortcullisTLS

/// A worker's metrics recorder: its counters plus the site-slot map of the routing table its
/// connections last used (rebuilt once per published table, never per request).
final class WorkerMetricsRecorder {
    let counters: WorkerMetrics
    private let root: DataPlaneMetrics
    private var slotsGeneration = -1
    private var slots: [Int] = []

    init(_ root: DataPlaneMetrics) {
        self.root = root
        self.counters = root.registerWorker()
    }

    /// The slot of site `index` of `table` (slot 0 when the request matched no site).
    @inline(__always) func slot(site index: Int, of table: RouteTable) -> Int {
        guard index >= 0 else { return 0 }
        if table.generation != self.slotsGeneration || self.slots.count != table.sites.count {
            self.slots = self.root.slots(for: table)
            self.slotsGeneration = table.generation
        }
        return index < self.slots.count ? self.slots[index] : 0
    }
}

/// The few calls the connection code makes into the metrics (each a relaxed load and store).
extension ClientConnection {
    /// After the TLS handshake completed.
    @inline(__always) func countHandshake() {
        let resumed = self.ssl.map(TLSSessionInfo.sessionReused) ?? false
        self.worker.metrics.counters.handshakeDone(listener: self.endpoint.metricsIndex, resumed: resumed)
    }

    /// When the connection closes (a TLS connection still handshaking counts as a failed handshake).
    @inline(__always) func countClose() {
        let failed = self.phase == .handshaking && self.endpoint.tls != nil
        self.worker.metrics.counters.connectionClosed(listener: self.endpoint.metricsIndex, handshakeFailed: failed)
    }

    /// When an exchange ends (before the access log line).
    @inline(__always) func countExchange() {
        guard self.log.started > 0 else { return }
        let recorder = self.worker.metrics
        let slot = recorder.slot(site: self.site, of: self.routes)
        recorder.counters.requestFinished(slot: slot, status: self.log.status, seconds: Clock.monotonic() - self.log.started)
    }

    /// When an upstream fails.
    @inline(__always) func countUpstreamError(_ kind: MetricsLayout.UpstreamError) {
        let recorder = self.worker.metrics
        recorder.counters.upstreamFailed(slot: recorder.slot(site: self.site, of: self.routes), kind: kind)
    }
}
