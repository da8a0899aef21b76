import Synchronization

/// Finished ACME orders by result (`portcullis_acme_orders_total{result}`): written by the ACME
/// thread after each order attempt, read by a metrics scrape.
public final class ACMEOrderTally: Sendable {
    private let counts = Mutex<[String: Int]>([:])

    /// An empty tally.
    public init() {}

    /// Counts one order that ended `valid` (result `success`) or `failed` (result `failure`).
    func count(_ state: OrderState) {
        switch state.phase {
        case .valid: self.counts.withLock { $0["success", default: 0] += 1 }
        case .failed: self.counts.withLock { $0["failure", default: 0] += 1 }
        default: break
        }
    }

    /// Orders by result so far.
    public func snapshot() -> [String: Int] { self.counts.withLock { $0 } }
}
