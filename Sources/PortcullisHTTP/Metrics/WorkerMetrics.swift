import Synchronization

/// One worker's counters: a flat array of `Atomic<Int>` cells that only this worker writes, with a
/// relaxed load and store (no read-modify-write, so no locked instruction and no cache line shared
/// with another writer), and that a scrape reads with relaxed loads. Allocated once at start.
public final class WorkerMetrics: @unchecked Sendable {  // cells: written by the owning worker only, read by scrapes
    public let layout: MetricsLayout
    private let cells: UnsafeMutablePointer<Atomic<Int>>

    /// Zeroed cells for `layout`.
    init(layout: MetricsLayout) {
        self.layout = layout
        self.cells = .allocate(capacity: layout.cellCount)
        for index in 0..<layout.cellCount { (self.cells + index).initialize(to: Atomic(0)) }
    }

    deinit {
        self.cells.deinitialize(count: self.layout.cellCount)
        self.cells.deallocate()
    }

    /// Adds `amount` to cell `index`. Owning worker only.
    @inline(__always) func add(_ index: Int, _ amount: Int = 1) {
        let cell = self.cells + index
        cell.pointee.store(cell.pointee.load(ordering: .relaxed) &+ amount, ordering: .relaxed)
    }

    /// The value of cell `index` (any thread).
    public func value(_ index: Int) -> Int { (self.cells + index).pointee.load(ordering: .relaxed) }

    // MARK: Events (worker thread)

    /// A connection was accepted on listener `listener`.
    @inline(__always) func connectionOpened(listener: Int) { self.add(self.layout.listener(listener, .opened)) }

    /// A connection closed; `handshakeFailed` when it ended before its TLS handshake completed.
    @inline(__always) func connectionClosed(listener: Int, handshakeFailed: Bool) {
        self.add(self.layout.listener(listener, .closed))
        if handshakeFailed { self.add(self.layout.listener(listener, .handshakeFailed)) }
    }

    /// A TLS handshake completed (`resumed`: an abbreviated one).
    @inline(__always) func handshakeDone(listener: Int, resumed: Bool) {
        self.add(self.layout.listener(listener, resumed ? .handshakeResumed : .handshakeOK))
    }

    /// One exchange ended with `status` after `seconds`, for site slot `slot`.
    @inline(__always) func requestFinished(slot: Int, status: Int, seconds: Double) {
        let base = self.layout.site(slot)
        self.add(base + Int(MetricsLayout.codeSlot[min(max(status, 0), 599)]))
        var bucket = 0
        let bounds = MetricsLayout.durationBounds
        while bucket < bounds.count && seconds > bounds[bucket] { bucket += 1 }
        self.add(base + MetricsLayout.bucketOffset + bucket)
        self.add(base + MetricsLayout.sumOffset, Int((max(0, seconds) * 1_000_000).rounded()))
    }

    /// An access log line was dropped (the destination would have blocked the worker).
    @inline(__always) func accessLogLineDropped() { self.add(self.layout.worker(.accessLogDropped)) }

    /// An upstream failed (`kind`) for site slot `slot`.
    @inline(__always) func upstreamFailed(slot: Int, kind: MetricsLayout.UpstreamError) {
        self.add(self.layout.site(slot) + MetricsLayout.upstreamOffset + kind.rawValue)
    }
}
