import Synchronization

/// The current `CertSnapshot`, read by every handshake and replaced by the control plane in one step.
public final class CertSnapshotHolder: Sendable {
    private let snapshot: Mutex<CertSnapshot>

    /// Starts with `initial`.
    public init(_ initial: CertSnapshot) {
        self.snapshot = Mutex(initial)
    }

    /// The snapshot to use for one lookup (retained under the lock, about 10 ns uncontended).
    public func current() -> CertSnapshot {
        self.snapshot.withLock { $0 }
    }

    /// Publishes `next` for new handshakes; the previous snapshot is released outside the lock.
    public func swap(_ next: CertSnapshot) {
        let previous = self.snapshot.withLock { current in
            let previous = current
            current = next
            return previous
        }
        withExtendedLifetime(previous) {}
    }
}
