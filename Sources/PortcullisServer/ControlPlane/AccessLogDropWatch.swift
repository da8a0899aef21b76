import Logging
import PortcullisCore
import PortcullisHTTP

/// Logs, from the control thread, that access log lines are being dropped: workers only count drops
/// (`AccessLogOutput`), since a worker writing a warning to a stalled stderr would block on it. One
/// warning per interval in which the count rose, with how many lines were lost.
final class AccessLogDropWatch {
    /// How often the counters are summed.
    static let interval: Double = 2
    private var timer: PortcullisCore.Timer?
    private var reported = 0

    init(base: EventBase, metrics: DataPlaneMetrics, logger: Logger) {
        self.timer = PortcullisCore.Timer(base: base, interval: Self.interval, repeats: true) { [unowned self] in
            let total = metrics.snapshot().accessLogDropped
            guard total > self.reported else { return }
            logger.warning(
                "access log lines dropped: the log destination is not accepting writes",
                metadata: ["dropped": "\(total - self.reported)", "dropped_total": "\(total)"])
            self.reported = total
        }
    }

    func stop() {
        self.timer?.cancel()
        self.timer = nil
    }
}
